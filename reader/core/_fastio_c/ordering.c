#include "fastio.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- ordering and indexing the posts after a load ------------------------------------
 *
 * At 100,000 posts a pass over the rows in sorted order costs more in fetching each row
 * from memory (they lie in the order they were read) than in the work done on it. So
 * the rows are read once, in the order they lie, into compact records; the sort and
 * the indexes work on those. */

/* What the indexes take from a row. */
struct facts {
    PyObject *categories, *tags; /* tuples of str */
    long month;                  /* year * 16 + month */
    PyObject *year, *month_number;
    Py_ssize_t problems;
};

/* Where the rows' items are. */
struct layout {
    Py_ssize_t moment, path, categories, tags, year, month, problems, size;
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

/* The facts of ``row``: 1, or 0 when it is not of the shape the loader makes (a tuple
 * with tuples of str, an int year and month of a real day, a tuple of problems). */
static int facts_of(PyObject *row, const struct layout *where, struct facts *into)
{
    if (!PyTuple_CheckExact(row) || PyTuple_GET_SIZE(row) < where->size)
        return 0;
    PyObject *categories = PyTuple_GET_ITEM(row, where->categories), *tags = PyTuple_GET_ITEM(row, where->tags);
    PyObject *year = PyTuple_GET_ITEM(row, where->year), *month = PyTuple_GET_ITEM(row, where->month);
    PyObject *problems = PyTuple_GET_ITEM(row, where->problems);
    if (!PyLong_CheckExact(year) || !PyLong_CheckExact(month) || !PyTuple_CheckExact(problems))
        return 0;
    if (categories != into[-1].categories && !is_tuple_of_str(categories)) /* shared: checked once */
        return 0;
    if (tags != into[-1].tags && !is_tuple_of_str(tags))
        return 0;
    int year_overflow = 0, month_overflow = 0;
    long year_number = PyLong_AsLongAndOverflow(year, &year_overflow);
    long month_number = PyLong_AsLongAndOverflow(month, &month_overflow);
    if (year_overflow || month_overflow || year_number < 1 || year_number > 9999 || month_number < 1 || month_number > 12)
        return 0;
    *into = (struct facts){categories, tags, year_number * 16 + month_number, year, month, PyTuple_GET_SIZE(problems)};
    return 1;
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
            PyObject *label = key == NULL ? NULL : PyTuple_Pack(2, row->year, row->month_number);
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

/* The layout from the arguments (rows, moment_at, path_at, categories_at, tags_at,
 * year_at, month_at, problems_at). */
static int parse_layout(PyObject *args, PyObject **rows, struct layout *where)
{
    Py_ssize_t *places[] = {&where->moment,     &where->path,  &where->categories, &where->tags,
                            &where->year,       &where->month, &where->problems};
    if (!PyArg_ParseTuple(args, "O!nnnnnnn", &PyList_Type, rows, places[0], places[1], places[2], places[3],
                          places[4], places[5], places[6]))
        return -1;
    where->size = 0;
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        if (*places[i] < 0) {
            PyErr_SetString(PyExc_ValueError, "positions must not be negative");
            return -1;
        }
        where->size = *places[i] + 1 > where->size ? *places[i] + 1 : where->size;
    }
    if (PyList_GET_SIZE(*rows) >= INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "too many rows for C int positions");
        return -1;
    }
    return 0;
}

/* The facts of every row, read in the order the rows lie (facts[-1] is a blank), or
 * NULL: with an exception set, or ``*shaped`` 0 when a row is not of the loader's
 * shape. Free with facts_free. */
static struct facts *all_facts(PyObject *rows, const struct layout *where, int *shaped)
{
    Py_ssize_t count = PyList_GET_SIZE(rows);
    struct facts *facts = PyMem_Calloc((size_t)count + 1, sizeof(struct facts));
    *shaped = 1;
    if (facts == NULL)
        return (struct facts *)PyErr_NoMemory();
    for (Py_ssize_t at = 0; at < count; at++) {
        if (!facts_of(PyList_GET_ITEM(rows, at), where, &facts[at + 1])) {
            *shaped = 0;
            PyMem_Free(facts);
            return NULL;
        }
    }
    return facts + 1;
}

static void facts_free(struct facts *facts)
{
    if (facts != NULL)
        PyMem_Free(facts - 1);
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

/* sort_rows(rows, moment_at, path_at, categories_at, tags_at, year_at, month_at,
 *           problems_at) -> (by_category, by_tag, by_month, problem_count) | None
 *
 * Sort the list of rows in place by their moment (a float) descending, rows of the same
 * moment by path (a str) descending, as archive._sort_newest_first does with two
 * stable sorts, and give what archive._derive gives for the sorted rows: the positions
 * of the posts of each category, tag and (year, month), as the bytes of array("i")s
 * keyed in the order first seen, and how many problems the posts have. None, with the list
 * untouched, when a row is not of the loader's shape or its moment is NaN, or when
 * the list changed meanwhile: Python sorts those.
 *
 * The sort itself lets go of the GIL: a window loading on a thread keeps getting it. */
static PyObject *sort_rows(PyObject *self, PyObject *args)
{
    PyObject *rows;
    struct layout where;
    int shaped;
    if (parse_layout(args, &rows, &where) < 0)
        return NULL;
    Py_ssize_t count = PyList_GET_SIZE(rows);
    struct facts *facts = all_facts(rows, &where, &shaped);
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
    for (Py_ssize_t at = 0; at < count; at++) {
        PyObject *row = PyList_GET_ITEM(rows, at);
        PyObject *moment = PyTuple_GET_ITEM(row, where.moment), *path = PyTuple_GET_ITEM(row, where.path);
        if (!PyFloat_CheckExact(moment) || !PyUnicode_CheckExact(path) || isnan(PyFloat_AS_DOUBLE(moment))) {
            result = Py_NewRef(Py_None);
            goto done;
        }
        ranks[at] = (struct ranked){PyFloat_AS_DOUBLE(moment), path, at};
    }
    /* References of our own to the rows, taken while the list still holds them all: the
     * rows (and the paths and tuples the facts point into) then outlive any change of
     * the list while the GIL is let go, and the check below compares live objects. */
    for (Py_ssize_t at = 0; at < count; at++)
        given[held++] = Py_NewRef(PyList_GET_ITEM(rows, at));
    struct ranked *newest = ranks;
    Py_BEGIN_ALLOW_THREADS
    newest = sort_newest_first(ranks, spare, keys, keys + room, count);
    Py_END_ALLOW_THREADS
    /* Another thread may have changed the list meanwhile: then it is left to Python. */
    int unchanged = PyList_GET_SIZE(rows) == count;
    for (Py_ssize_t at = 0; unchanged && at < count; at++)
        unchanged = PyList_GET_ITEM(rows, at) == given[at];
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
    /* No Python code ran since the list was checked (the indexes' keys are exact str
     * and int): its items are put in order. */
    if (result != NULL && PyList_SetSlice(rows, 0, count, in_order) < 0)
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
    {"sort_rows", sort_rows, METH_VARARGS, "Sort rows newest first, then by path descending; and index them."},
    {NULL, NULL, 0, NULL},
};
