#include "fastio.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- ordering and indexing the posts after a load ------------------------------------
 *
 * At 100,000 posts a pass over the posts in sorted order costs more in fetching each
 * post from memory (they lie in the order they were read) than in the work done on it.
 * So the posts' fields are read once, in the order they lie, into compact records; the
 * sort and the indexes work on those. */

/* What the sort and the indexes take from a post (references held: see facts_free). */
struct facts {
    PyObject *categories, *tags; /* tuples of str */
    long month;                  /* year * 16 + month */
    long year_number, month_number;
    Py_ssize_t problems;
    double moment;
    PyObject *path; /* str */
};

/* The names of the posts' fields the pass reads. */
struct names {
    PyObject *moment, *path, *categories, *tags, *written, *problems;
};

static int is_tuple_of_str(PyObject *names)
{
    if (!PyTuple_CheckExact(names))
        return 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(names); i++)
        if (!PyUnicode_CheckExact(PyTuple_GET_ITEM(names, i)))
            return 0;
    return 1;
}

/* A field of ``of`` that is an int between ``low`` and ``high``, or -1 (no exception
 * left set) when it is not. */
static long bounded(PyObject *of, PyObject *name, long low, long high)
{
    PyObject *value = PyObject_GetAttr(of, name);
    long number = -1;
    if (value != NULL && PyLong_CheckExact(value)) {
        int overflow = 0;
        number = PyLong_AsLongAndOverflow(value, &overflow);
        if (overflow || number < low || number > high)
            number = -1;
    }
    Py_XDECREF(value);
    PyErr_Clear();
    return number;
}

/* The facts of ``post`` into ``into``: 1, or 0 (no exception left set) when it is not of
 * the shape the loader makes (a float moment, a str path, tuples of str, a date of a real
 * year and month, a tuple of problems). What ``into`` holds is freed by facts_free. */
static int facts_of(PyObject *post, const struct names *names, PyObject *year_name, PyObject *month_name,
                    struct facts *into)
{
    PyObject *moment = PyObject_GetAttr(post, names->moment);
    PyObject *written = moment == NULL ? NULL : PyObject_GetAttr(post, names->written);
    PyObject *problems = written == NULL ? NULL : PyObject_GetAttr(post, names->problems);
    into->path = problems == NULL ? NULL : PyObject_GetAttr(post, names->path);
    into->categories = into->path == NULL ? NULL : PyObject_GetAttr(post, names->categories);
    into->tags = into->categories == NULL ? NULL : PyObject_GetAttr(post, names->tags);
    int shaped = into->tags != NULL && PyFloat_CheckExact(moment) && !isnan(PyFloat_AS_DOUBLE(moment))
                 && PyUnicode_CheckExact(into->path) && PyTuple_CheckExact(problems)
                 && is_tuple_of_str(into->categories) && is_tuple_of_str(into->tags);
    if (shaped) {
        into->moment = PyFloat_AS_DOUBLE(moment);
        into->problems = PyTuple_GET_SIZE(problems);
        into->year_number = bounded(written, year_name, 1, 9999);
        into->month_number = bounded(written, month_name, 1, 12);
        shaped = into->year_number > 0 && into->month_number > 0;
        into->month = into->year_number * 16 + into->month_number;
    }
    Py_XDECREF(moment);
    Py_XDECREF(written);
    Py_XDECREF(problems);
    PyErr_Clear();
    return shaped;
}

/* Positions in the rows, gathered per name: a growing array of C ints. */
struct gathered {
    int *at;
    Py_ssize_t count, room;
};

/* Each name's positions: names (dict keys) -> their slot in ``slots``. */
struct index {
    PyObject *slot_of; /* dict: name -> int */
    PyObject *names;   /* list: the names, in the order first seen */
    struct gathered *slots;
    Py_ssize_t room;
};

/* The number of the slot of ``name`` (``label`` names it in the index: ``name`` itself
 * when NULL), made when new; -1 with an exception set. */
static Py_ssize_t slot_for(struct index *index, PyObject *name, PyObject *label)
{
    PyObject *slot = PyDict_GetItemWithError(index->slot_of, name);
    if (slot != NULL)
        return PyLong_AsSsize_t(slot);
    if (PyErr_Occurred())
        return -1;
    Py_ssize_t number = PyList_GET_SIZE(index->names);
    if (number == index->room) {
        Py_ssize_t room = index->room ? index->room * 2 : 64;
        struct gathered *slots = PyMem_Realloc(index->slots, sizeof(struct gathered) * (size_t)room);
        if (slots == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        index->slots = slots;
        index->room = room;
    }
    index->slots[number] = (struct gathered){NULL, 0, 0};
    PyObject *boxed = PyLong_FromSsize_t(number);
    int failed = boxed == NULL || PyDict_SetItem(index->slot_of, name, boxed) < 0
                 || PyList_Append(index->names, label != NULL ? label : name) < 0;
    Py_XDECREF(boxed);
    return failed ? -1 : number;
}

/* Add the position ``at`` to slot ``number``: 0, or -1 with an exception set. */
static int gather_into(struct index *index, Py_ssize_t number, int at)
{
    struct gathered *positions = &index->slots[number];
    if (positions->count == positions->room) {
        Py_ssize_t room = positions->room ? positions->room * 2 : 16;
        int *grown = PyMem_Realloc(positions->at, sizeof(int) * (size_t)room);
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        positions->at = grown;
        positions->room = room;
    }
    positions->at[positions->count++] = at;
    return 0;
}

static void index_free(struct index *index)
{
    if (index->names != NULL)
        for (Py_ssize_t number = 0; number < PyList_GET_SIZE(index->names); number++)
            PyMem_Free(index->slots[number].at);
    PyMem_Free(index->slots);
    Py_XDECREF(index->slot_of);
    Py_XDECREF(index->names);
}

/* The index as a dict: name -> its positions as the bytes of C ints (array("i")). */
static PyObject *index_packed(struct index *index)
{
    PyObject *packed = PyDict_New();
    for (Py_ssize_t number = 0; packed != NULL && number < PyList_GET_SIZE(index->names); number++) {
        struct gathered *positions = &index->slots[number];
        PyObject *raw = PyBytes_FromStringAndSize((const char *)positions->at, positions->count * (Py_ssize_t)sizeof(int));
        if (raw == NULL || PyDict_SetItem(packed, PyList_GET_ITEM(index->names, number), raw) < 0)
            Py_CLEAR(packed);
        Py_XDECREF(raw);
    }
    return packed;
}

/* Every YIELD_EVERY posts the passes over all posts let go of the GIL for a moment: a
 * thread waiting for it (a window's, drawing) then takes it. Held for all 100,000 posts
 * at once, it made the window wait 20-40 ms. The posts' list and the facts are this
 * call's own, and the list is checked again after each post is read. */
#define YIELD_EVERY 4096

static void let_others_run(Py_ssize_t at)
{
    if (at % YIELD_EVERY == YIELD_EVERY - 1) {
        Py_BEGIN_ALLOW_THREADS
        Py_END_ALLOW_THREADS
    }
}

/* (by_category, by_tag, by_month, problem_count) of the rows whose facts are
 * ``facts[order[at]]``, at = 0 .. count - 1. */
static PyObject *index_facts(const struct facts *facts, const Py_ssize_t *order, Py_ssize_t count)
{
    struct index indexes[3] = {{NULL}, {NULL}, {NULL}}; /* categories, tags, months */
    PyObject *result = NULL, *packed[3] = {NULL, NULL, NULL};
    long long problem_count = 0;
    /* a run of posts of one source shares its tuples: their slots are looked up once */
    PyObject *last_names[2] = {NULL, NULL};
    Py_ssize_t last_slots[2][8];
    long last_month = -1;
    Py_ssize_t month_slot = -1;
    for (int i = 0; i < 3; i++)
        if ((indexes[i].slot_of = PyDict_New()) == NULL || (indexes[i].names = PyList_New(0)) == NULL)
            goto done;
    for (Py_ssize_t at = 0; at < count; at++) {
        let_others_run(at);
        const struct facts *row = &facts[order[at]];
        PyObject *names[2] = {row->categories, row->tags};
        for (int i = 0; i < 2; i++) {
            Py_ssize_t size = PyTuple_GET_SIZE(names[i]);
            int remembered = names[i] == last_names[i];
            for (Py_ssize_t k = 0; k < size; k++) {
                Py_ssize_t slot = remembered ? last_slots[i][k] : slot_for(&indexes[i], PyTuple_GET_ITEM(names[i], k), NULL);
                if (slot < 0 || gather_into(&indexes[i], slot, (int)at) < 0)
                    goto done;
                if (!remembered && k < 8)
                    last_slots[i][k] = slot;
            }
            last_names[i] = size <= 8 ? names[i] : NULL;
        }
        if (row->month != last_month) {
            PyObject *key = PyLong_FromLong(row->month);
            PyObject *label = key == NULL ? NULL : Py_BuildValue("(ll)", row->year_number, row->month_number);
            month_slot = label == NULL ? -1 : slot_for(&indexes[2], key, label);
            Py_XDECREF(key);
            Py_XDECREF(label);
            if (month_slot < 0)
                goto done;
            last_month = row->month;
        }
        if (gather_into(&indexes[2], month_slot, (int)at) < 0)
            goto done;
        problem_count += row->problems;
    }
    for (int i = 0; i < 3; i++)
        if ((packed[i] = index_packed(&indexes[i])) == NULL)
            goto done;
    result = Py_BuildValue("(OOOL)", packed[0], packed[1], packed[2], problem_count);
done:
    for (int i = 0; i < 3; i++) {
        Py_XDECREF(packed[i]);
        index_free(&indexes[i]);
    }
    return result;
}

/* Free what all_facts gave (facts[-1] keeps how many there are). */
static void facts_free(struct facts *facts)
{
    if (facts == NULL)
        return;
    for (Py_ssize_t at = 0; at < facts[-1].problems; at++) {
        Py_XDECREF(facts[at].path);
        Py_XDECREF(facts[at].categories);
        Py_XDECREF(facts[at].tags);
    }
    PyMem_Free(facts - 1);
}

/* The facts of every post, read in the order the posts lie, or NULL: with an exception
 * set, or ``*shaped`` 0 when a post is not of the loader's shape. Free with facts_free. */
static struct facts *all_facts(PyObject *posts, const struct names *names, int *shaped)
{
    Py_ssize_t count = PyList_GET_SIZE(posts);
    struct facts *facts = PyMem_Calloc((size_t)count + 1, sizeof(struct facts));
    PyObject *year_name = PyUnicode_InternFromString("year"), *month_name = PyUnicode_InternFromString("month");
    *shaped = 1;
    if (facts == NULL || year_name == NULL || month_name == NULL) {
        PyMem_Free(facts);
        Py_XDECREF(year_name);
        Py_XDECREF(month_name);
        return facts == NULL ? (struct facts *)PyErr_NoMemory() : NULL;
    }
    facts[0].problems = count; /* the blank before the facts keeps their count */
    for (Py_ssize_t at = 0; *shaped && at < count; at++) {
        /* a field read may run Python code (a property): the list is checked each time */
        if (at >= PyList_GET_SIZE(posts)) {
            *shaped = 0;
            break;
        }
        let_others_run(at);
        if (at >= PyList_GET_SIZE(posts)) { /* changed while the GIL was let go */
            *shaped = 0;
            break;
        }
        PyObject *post = Py_NewRef(PyList_GET_ITEM(posts, at));
        *shaped = facts_of(post, names, year_name, month_name, &facts[at + 1]);
        Py_DECREF(post);
    }
    Py_DECREF(year_name);
    Py_DECREF(month_name);
    if (!*shaped) {
        facts_free(facts + 1);
        return NULL;
    }
    return facts + 1;
}

struct ranked {
    double moment;
    PyObject *path;
    Py_ssize_t at;
};

/* A key whose ascending order is the moments' descending order (NaN excluded; 0 and
 * -0 are one moment, as they compare equal). */
static uint64_t newest_first_key(double moment)
{
    uint64_t bits;
    if (moment == 0)
        moment = 0; /* -0 as 0 */
    memcpy(&bits, &moment, sizeof bits);
    bits = bits >> 63 ? ~bits : bits | (UINT64_C(1) << 63); /* ascending with the moment */
    return ~bits;
}

/* Sort ``ranks`` newest first, keeping the order given among equal moments: a stable
 * radix sort, a byte a pass, skipping the bytes all keys share (the high bytes of
 * moments a few years apart). ``keys`` and ``spare`` have room for ``count`` items;
 * the result is in ``ranks`` or ``spare``, whichever is returned. Looks at no Python
 * object: it runs without the GIL. */
static struct ranked *sort_newest_first(struct ranked *ranks, struct ranked *spare, uint64_t *keys, uint64_t *spare_keys, Py_ssize_t count)
{
    uint64_t all_and = ~UINT64_C(0), all_or = 0;
    for (Py_ssize_t at = 0; at < count; at++) {
        keys[at] = newest_first_key(ranks[at].moment);
        all_and &= keys[at];
        all_or |= keys[at];
    }
    for (int shift = 0; shift < 64; shift += 8) {
        if ((((all_and ^ all_or) >> shift) & 0xFF) == 0)
            continue; /* every key has the same byte here */
        Py_ssize_t starts[256] = {0};
        for (Py_ssize_t at = 0; at < count; at++)
            starts[(keys[at] >> shift) & 0xFF]++;
        Py_ssize_t total = 0;
        for (int byte = 0; byte < 256; byte++) {
            Py_ssize_t here = starts[byte];
            starts[byte] = total;
            total += here;
        }
        for (Py_ssize_t at = 0; at < count; at++) {
            Py_ssize_t to = starts[(keys[at] >> shift) & 0xFF]++;
            spare[to] = ranks[at];
            spare_keys[to] = keys[at];
        }
        struct ranked *swap = ranks;
        ranks = spare;
        spare = swap;
        uint64_t *swap_keys = keys;
        keys = spare_keys;
        spare_keys = swap_keys;
    }
    return ranks;
}

/* Of the same moment: by path descending, then in the order given. */
static int by_path_descending(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->path != y->path) {
        int order = PyUnicode_Compare(y->path, x->path); /* two str: cannot fail */
        if (order != 0)
            return order;
    }
    return (x->at > y->at) - (x->at < y->at);
}

/* sort_posts(posts, moment, path, categories, tags, written, problems)
 *           -> (by_category, by_tag, by_month, problem_count) | None
 *
 * Sort the list of posts in place by their moment (a float field) descending, posts of
 * the same moment by path (a str field) descending, as indexes.sort_newest_first does
 * with two stable sorts, and give what indexes.derive gives for the sorted posts: the
 * positions of the posts of each category, tag and (year, month) of the date written,
 * as the bytes of array("i")s keyed in the order first seen, and how many problems the
 * posts have. The arguments after ``posts`` name the fields. None, with the list
 * untouched, when a post is not of the loader's shape or its moment is NaN, or when
 * the list changed meanwhile: Python sorts those.
 *
 * The sort itself lets go of the GIL: a window loading on a thread keeps getting it. */
static PyObject *sort_posts(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *posts;
    struct names names;
    int shaped;
    if (!PyArg_ParseTuple(args, "O!UUUUUU", &PyList_Type, &posts, &names.moment, &names.path, &names.categories,
                          &names.tags, &names.written, &names.problems))
        return NULL;
    Py_ssize_t count = PyList_GET_SIZE(posts);
    if (count >= INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "too many posts for C int positions");
        return NULL;
    }
    struct facts *facts = all_facts(posts, &names, &shaped);
    if (facts == NULL)
        return shaped ? NULL : Py_NewRef(Py_None);
    size_t room = (size_t)(count ? count : 1);
    struct ranked *ranks = PyMem_Malloc(sizeof(struct ranked) * room), *spare = PyMem_Malloc(sizeof(struct ranked) * room);
    uint64_t *keys = PyMem_Malloc(sizeof(uint64_t) * room * 2);
    Py_ssize_t *order = PyMem_Malloc(sizeof(Py_ssize_t) * room);
    PyObject **given = PyMem_Malloc(sizeof(PyObject *) * room);
    PyObject *result = NULL;
    Py_ssize_t held = 0; /* references taken into given */
    if (ranks == NULL || spare == NULL || keys == NULL || order == NULL || given == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t at = 0; at < count; at++)
        ranks[at] = (struct ranked){facts[at].moment, facts[at].path, at};
    /* References of our own to the posts, taken while the list still holds them all:
     * the check below then compares live objects (the facts hold the paths). */
    for (Py_ssize_t at = 0; at < count; at++)
        given[held++] = Py_NewRef(PyList_GET_ITEM(posts, at));
    struct ranked *newest = ranks;
    Py_BEGIN_ALLOW_THREADS
    newest = sort_newest_first(ranks, spare, keys, keys + room, count);
    Py_END_ALLOW_THREADS
    /* Another thread may have changed the list meanwhile: then it is left to Python. */
    int unchanged = PyList_GET_SIZE(posts) == count;
    for (Py_ssize_t at = 0; unchanged && at < count; at++)
        unchanged = PyList_GET_ITEM(posts, at) == given[at];
    if (!unchanged) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    for (Py_ssize_t start = 0, end; start < count; start = end) {
        for (end = start + 1; end < count && newest[end].moment == newest[start].moment; end++)
            ;
        if (end - start > 1) /* posts of the same moment: a few, now and then */
            qsort(newest + start, (size_t)(end - start), sizeof(struct ranked), by_path_descending);
    }
    PyObject *in_order = PyList_New(count);
    if (in_order == NULL)
        goto done;
    for (Py_ssize_t at = 0; at < count; at++) {
        order[at] = newest[at].at;
        PyList_SET_ITEM(in_order, at, Py_NewRef(given[newest[at].at]));
    }
    result = index_facts(facts, order, count);
    /* Other threads ran while index_facts let go of the GIL: the list is checked again
     * before its items are put in order (left to Python when it changed). */
    unchanged = PyList_GET_SIZE(posts) == count;
    for (Py_ssize_t at = 0; unchanged && at < count; at++)
        unchanged = PyList_GET_ITEM(posts, at) == given[at];
    if (result != NULL && !unchanged) {
        Py_DECREF(result);
        result = Py_NewRef(Py_None);
    } else if (result != NULL && PyList_SetSlice(posts, 0, count, in_order) < 0)
        Py_CLEAR(result);
    Py_DECREF(in_order);
done:
    PyMem_Free(ranks);
    PyMem_Free(spare);
    PyMem_Free(keys);
    PyMem_Free(order);
    for (Py_ssize_t at = 0; at < held; at++)
        Py_DECREF(given[at]);
    PyMem_Free(given);
    facts_free(facts);
    return result;
}

PyMethodDef fastio_ordering_methods[] = {
    {"sort_posts", sort_posts, METH_VARARGS, "Sort posts newest first, then by path descending; and index them."},
    {NULL, NULL, 0, NULL},
};
