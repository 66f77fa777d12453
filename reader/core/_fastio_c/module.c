/* The loader's hot paths: batched file system calls made without the GIL, a UTF-8 check
 * and a reader of the plainest front matter.
 *
 * A warm load of an archive of 100,000 posts checks each file's size and mtime against
 * its cache: one stat per file. From Python each stat also builds a stat_result and
 * holds the GIL; here all of them are done in one call, shared between a thread per
 * processor, that lets other threads run meanwhile (the load reads its cache while the
 * files are stat'ed). Listing a folder, too, is one call that makes no object per entry
 * but its name. And the UTF-8 check of each file's text, a sixth of the cost of reading
 * a post, runs at three times the speed of decoding it. Most posts' front matter is a
 * few plain lines, read here in one call with what Python's fast path would give.
 * reader/core/archive.py does the same in Python where this module is not built; the
 * tests compare the two.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Each name of the list ``names`` encoded as the file system wants it (what
 * os.fsencode gives). Returns a new list of bytes, or NULL with an exception set. */
static PyObject *encode_names(PyObject *names, Py_ssize_t *count)
{
    if (!PyList_Check(names)) {
        PyErr_SetString(PyExc_TypeError, "names must be a list of str");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(names);
    PyObject *encoded = PyList_New(n);
    if (encoded == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *name = PyList_GET_ITEM(names, i);
        if (!PyUnicode_Check(name)) {
            PyErr_SetString(PyExc_TypeError, "names must be a list of str");
            Py_DECREF(encoded);
            return NULL;
        }
        PyObject *raw = PyUnicode_EncodeFSDefault(name);
        if (raw == NULL) {
            Py_DECREF(encoded);
            return NULL;
        }
        if ((Py_ssize_t)strlen(PyBytes_AS_STRING(raw)) != PyBytes_GET_SIZE(raw)) {
            PyErr_SetString(PyExc_ValueError, "embedded null byte");
            Py_DECREF(raw);
            Py_DECREF(encoded);
            return NULL;
        }
        PyList_SET_ITEM(encoded, i, raw);
    }
    *count = n;
    return encoded;
}

static int64_t mtime_ns(const struct stat *info)
{
    return (int64_t)info->st_mtim.tv_sec * 1000000000 + info->st_mtim.tv_nsec;
}

/* One folder's part of a stat_folders call. */
struct segment {
    const char *folder;
    const char **names;
    Py_ssize_t count;
    int64_t *sizes, *mtimes;
    int32_t *errors;
};

/* Stat names [from, to) of one segment. */
static void stat_segment(struct segment *part, Py_ssize_t from, Py_ssize_t to)
{
    int folder = open(part->folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int failed = folder < 0 ? errno : 0;
    for (Py_ssize_t i = from; i < to; i++) {
        struct stat info;
        if (!failed && fstatat(folder, part->names[i], &info, 0) == 0) {
            part->sizes[i] = (int64_t)info.st_size;
            part->mtimes[i] = mtime_ns(&info);
            part->errors[i] = 0;
        } else {
            part->sizes[i] = part->mtimes[i] = 0;
            part->errors[i] = failed ? failed : errno;
        }
    }
    if (folder >= 0)
        close(folder);
}

/* One thread's share of a stat_folders call: names [from, to) of all segments, counted
 * as if they were one list. */
struct share {
    struct segment *parts;
    Py_ssize_t count, from, to;
};

static void *stat_share(void *argument)
{
    struct share *share = argument;
    Py_ssize_t start = 0; /* where the segment starts in the whole list */
    for (Py_ssize_t s = 0; s < share->count && start < share->to; s++) {
        Py_ssize_t end = start + share->parts[s].count;
        Py_ssize_t from = share->from > start ? share->from : start;
        Py_ssize_t to = share->to < end ? share->to : end;
        if (from < to)
            stat_segment(&share->parts[s], from - start, to - start);
        start = end;
    }
    return NULL;
}

/* Files at which a second thread pays: each stat costs the kernel ~1.5 us. */
#define SHARED_FROM 4000
#define MOST_THREADS 4

/* Stat every name of ``parts``, on up to MOST_THREADS threads (one per processor). */
static void stat_all(struct segment *parts, Py_ssize_t count)
{
    Py_ssize_t total = 0;
    for (Py_ssize_t s = 0; s < count; s++)
        total += parts[s].count;
    long processors = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = 1;
    if (total >= SHARED_FROM && processors > 1)
        threads = processors < MOST_THREADS ? (int)processors : MOST_THREADS;
    struct share shares[MOST_THREADS];
    pthread_t started[MOST_THREADS];
    int running = 0;
    for (int t = 0; t < threads; t++)
        shares[t] = (struct share){parts, count, total * t / threads, total * (t + 1) / threads};
    for (int t = 1; t < threads; t++)
        if (pthread_create(&started[t], NULL, stat_share, &shares[t]) == 0)
            running |= 1 << t;
        else
            stat_share(&shares[t]); /* no thread to be had: done here */
    stat_share(&shares[0]);
    for (int t = 1; t < threads; t++)
        if (running & (1 << t))
            pthread_join(started[t], NULL);
}

/* stat_folders(segments) -> list of (sizes, mtimes, errors)
 *
 * ``segments``: a list of (folder, names). Stats each name relative to its folder,
 * following links as os.stat does, all without the GIL. Per segment three bytes objects,
 * one machine value per name: the sizes and the mtimes in nanoseconds (int64), and the
 * errno of a stat that failed, else 0 (int32). */
static PyObject *stat_folders(PyObject *self, PyObject *segments)
{
    if (!PyList_Check(segments)) {
        PyErr_SetString(PyExc_TypeError, "segments must be a list of (folder, names)");
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(segments);
    /* the segments as they are now, the encoded names and folders: kept alive */
    PyObject *keep = PyList_GetSlice(segments, 0, count);
    struct segment *parts = PyMem_Calloc(count ? count : 1, sizeof(struct segment));
    PyObject *result = NULL;
    if (keep == NULL || parts == NULL)
        goto done;
    result = PyList_New(count);
    if (result == NULL)
        goto done;
    for (Py_ssize_t s = 0; s < count; s++) {
        PyObject *item = PyList_GET_ITEM(keep, s), *folder, *names;
        if (!PyTuple_Check(item) || !PyArg_ParseTuple(item, "O&O:stat_folders", PyUnicode_FSConverter,
                                                      &folder, &names)) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "segments must be a list of (folder, names)");
            goto failed;
        }
        int appended = PyList_Append(keep, folder);
        Py_DECREF(folder);
        if (appended < 0)
            goto failed;
        Py_ssize_t n = 0;
        PyObject *encoded = encode_names(names, &n);
        if (encoded == NULL || PyList_Append(keep, encoded) < 0) {
            Py_XDECREF(encoded);
            goto failed;
        }
        Py_DECREF(encoded);
        PyObject *sizes = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(int64_t));
        PyObject *mtimes = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(int64_t));
        PyObject *errors = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(int32_t));
        PyObject *triple = (sizes && mtimes && errors) ? PyTuple_Pack(3, sizes, mtimes, errors) : NULL;
        Py_XDECREF(sizes);
        Py_XDECREF(mtimes);
        Py_XDECREF(errors);
        const char **names_at = PyMem_Malloc((n ? n : 1) * sizeof(char *));
        if (triple == NULL || names_at == NULL) {
            Py_XDECREF(triple);
            PyMem_Free(names_at);
            PyErr_NoMemory();
            goto failed;
        }
        PyList_SET_ITEM(result, s, triple);
        for (Py_ssize_t i = 0; i < n; i++)
            names_at[i] = PyBytes_AS_STRING(PyList_GET_ITEM(encoded, i));
        parts[s] = (struct segment){
            PyBytes_AS_STRING(folder), names_at, n,
            (int64_t *)PyBytes_AS_STRING(sizes), (int64_t *)PyBytes_AS_STRING(mtimes),
            (int32_t *)PyBytes_AS_STRING(errors),
        };
    }
    Py_BEGIN_ALLOW_THREADS
    stat_all(parts, count);
    Py_END_ALLOW_THREADS
    goto done;
failed:
    Py_CLEAR(result);
done:
    if (parts != NULL)
        for (Py_ssize_t s = 0; s < count; s++)
            PyMem_Free((void *)parts[s].names);
    PyMem_Free(parts);
    Py_XDECREF(keep);
    return result;
}

/* How a UTF-8 check of some bytes ended, as Python's strict decoder sees them. */
enum { UTF8_VALID = 0, UTF8_CUT = 1, UTF8_INVALID = 2 };

/* The four bytes at ``at`` as a number, the first in the lowest eight bits. */
static inline uint32_t first_bytes(const unsigned char *at)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t word;
    memcpy(&word, at, 4); /* one load */
    return word;
#else
    return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24;
#endif
}

/* Are ``data`` UTF-8: Unicode's well-formed sequences (no overlong forms, no surrogates,
 * nothing above U+10FFFF)? UTF8_CUT: yes but for a character cut short at the end (the
 * decoder's "unexpected end of data"). ASCII is checked eight bytes at a time and runs of
 * three-byte characters (Chinese text) four bytes at a time: about three times as fast
 * as decoding the text. */
static int check_utf8(const unsigned char *data, size_t length)
{
    size_t i = 0;
    while (i < length) {
        while (i + 8 <= length) {
            uint64_t word;
            memcpy(&word, data + i, 8);
            if (word & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= length)
            break;
        unsigned char lead = data[i];
        if (lead < 0x80) {
            i++;
            continue;
        }
        /* the common case in Chinese text: runs of three-byte characters */
        while (i + 4 <= length) {
            uint32_t word = first_bytes(data + i);
            if ((word & 0x00C0C0F0u) != 0x008080E0u || data[i] == 0xE0 || data[i] == 0xED)
                break;
            i += 3;
        }
        if (i >= length)
            break;
        lead = data[i];
        if (lead < 0x80)
            continue;
        size_t need;
        unsigned char low = 0x80, high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            need = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            need = 2;
            if (lead == 0xE0)
                low = 0xA0;
            else if (lead == 0xED)
                high = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            need = 3;
            if (lead == 0xF0)
                low = 0x90;
            else if (lead == 0xF4)
                high = 0x8F;
        } else {
            return UTF8_INVALID;
        }
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= length)
                return UTF8_CUT;
            unsigned char byte = data[i + k];
            if (k == 1 ? (byte < low || byte > high) : (byte < 0x80 || byte > 0xBF))
                return UTF8_INVALID;
        }
        i += need + 1;
    }
    return UTF8_VALID;
}

/* utf8_state(data) -> 0 UTF-8, 1 UTF-8 but for a character cut at the end, 2 not UTF-8 */
static PyObject *utf8_state(PyObject *self, PyObject *data)
{
    if (!PyBytes_Check(data)) {
        PyErr_SetString(PyExc_TypeError, "utf8_state() takes bytes");
        return NULL;
    }
    const unsigned char *start = (const unsigned char *)PyBytes_AS_STRING(data);
    return PyLong_FromLong(check_utf8(start, (size_t)PyBytes_GET_SIZE(data)));
}

/* --- front matter ----------------------------------------------------------------
 *
 * Most posts open with the same few lines, ``key: value`` each, read in Python by
 * front_matter.parse_simple. simple_front_matter gives the same mapping for the plainest
 * of those, from the file's bytes, in one call: it finds the front matter as Jekyll does,
 * checks the text is UTF-8 and builds the values. Whatever it does not know for sure
 * (quotes with escapes, lists, comments, tabs, CRs, indents, a missing closing line,
 * text that is not UTF-8) makes it answer None, and Python reads the file as before. A
 * plain value whose first character starts one of YAML's implicit types (a number, a
 * date, true, null...) is built by the Python resolver set with set_front_matter_rules,
 * as are the checks of new keys: the two paths share their knowledge of YAML. */

static PyObject *rule_key_ok = NULL;   /* key_ok(key: str) -> bool */
static PyObject *rule_resolve = NULL;  /* resolve(value: str) -> (ok, value) */
static unsigned char rule_resolvable[128]; /* first characters that need resolve() */
static PyObject *known_keys = NULL;    /* keys key_ok accepted: str -> the same str */
#define KNOWN_KEYS_MAX 1000
/* Plain values resolve() gave back as the same string (a source's category "yicai"
 * starts like "yes"): str -> the same str. Posts repeat them. */
static PyObject *known_strings = NULL;
#define KNOWN_STRINGS_MAX 5000

/* set_front_matter_rules(key_ok, resolve, resolvable: str) */
static PyObject *set_front_matter_rules(PyObject *self, PyObject *args)
{
    PyObject *key_ok, *resolve;
    const char *resolvable;
    Py_ssize_t count;
    if (!PyArg_ParseTuple(args, "OOs#:set_front_matter_rules", &key_ok, &resolve, &resolvable, &count))
        return NULL;
    if (!PyCallable_Check(key_ok) || !PyCallable_Check(resolve)) {
        PyErr_SetString(PyExc_TypeError, "key_ok and resolve must be callable");
        return NULL;
    }
    PyObject *keys = PyDict_New();
    if (keys == NULL)
        return NULL;
    PyObject *strings = PyDict_New();
    if (strings == NULL) {
        Py_DECREF(keys);
        return NULL;
    }
    memset(rule_resolvable, 0, sizeof rule_resolvable);
    for (Py_ssize_t i = 0; i < count; i++) {
        unsigned char c = (unsigned char)resolvable[i];
        if (c >= 128) {
            Py_DECREF(keys);
            Py_DECREF(strings);
            PyErr_SetString(PyExc_ValueError, "resolvable first characters must be ASCII");
            return NULL;
        }
        rule_resolvable[c] = 1;
    }
    Py_INCREF(key_ok);
    Py_INCREF(resolve);
    Py_XSETREF(rule_key_ok, key_ok);
    Py_XSETREF(rule_resolve, resolve);
    Py_XSETREF(known_keys, keys);
    Py_XSETREF(known_strings, strings);
    Py_RETURN_NONE;
}

static inline int is_key_start(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static inline int is_key_char(unsigned char c)
{
    return is_key_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/* Bytes YAML's plain reading does not take as they are (front_matter._NOT_SIMPLE): C0
 * controls but the line break (tab and CR included), DEL, C1 controls (NEL among them),
 * U+2028, U+2029, U+FEFF, U+FFFE and U+FFFF. The text is valid UTF-8 already. */
static int has_not_simple(const unsigned char *at, const unsigned char *end)
{
    for (; at < end; at++) {
        unsigned char c = *at;
        if (c < 0x20 || c == 0x7F)
            return 1;
        if (c == 0xC2 && at + 1 < end && at[1] <= 0x9F)
            return 1;
        if (c == 0xE2 && at + 2 < end && at[1] == 0x80 && (at[2] == 0xA8 || at[2] == 0xA9))
            return 1;
        if (c == 0xEF && at + 2 < end &&
            ((at[1] == 0xBB && at[2] == 0xBF) || (at[1] == 0xBF && (at[2] == 0xBE || at[2] == 0xBF))))
            return 1;
    }
    return 0;
}

/* Jekyll's closing line: "---" or "..." then only ASCII white space. */
static int is_closing(const unsigned char *at, const unsigned char *end)
{
    if (end - at < 3 || !((at[0] == '-' && at[1] == '-' && at[2] == '-') || (at[0] == '.' && at[1] == '.' && at[2] == '.')))
        return 0;
    for (at += 3; at < end; at++)
        if (!(*at == ' ' || *at == '\t' || *at == '\r' || *at == '\f' || *at == '\v'))
            return 0;
    return 1;
}

static int contains(const unsigned char *at, const unsigned char *end, const char *pair)
{
    for (; at + 1 < end; at++)
        if (at[0] == (unsigned char)pair[0] && at[1] == (unsigned char)pair[1])
            return 1;
    return 0;
}

static inline int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Up to ``most`` digits, at least one: how many, or 0. */
static Py_ssize_t digits(const unsigned char *at, const unsigned char *end, Py_ssize_t most)
{
    Py_ssize_t count = 0;
    while (at + count < end && count < most && is_digit(at[count]))
        count++;
    return count;
}

/* Does YAML 1.1's timestamp pattern (PyYAML's resolver) match the whole value?
 *   YYYY-MM-DD | YYYY-M?M-D?D ([Tt]|[ \t]+) H?H:MM:SS (.F*)? ([ \t]*(Z|[-+]H?H(:MM)?))?
 * Each optional part is decided by the character after it, so one pass gives the
 * regular expression's answer. Of YAML's implicit types only a timestamp can hold a
 * space: a value with one that is not a timestamp is a string. */
static int is_timestamp(const unsigned char *at, const unsigned char *end)
{
    if (digits(at, end, 4) != 4 || at + 4 >= end || at[4] != '-')
        return 0;
    at += 5;
    if (end - at == 5 && digits(at, end, 2) == 2 && at[2] == '-' && digits(at + 3, end, 2) == 2)
        return 1;
    Py_ssize_t n = digits(at, end, 2);
    if (n == 0 || at + n >= end || at[n] != '-')
        return 0;
    at += n + 1;
    if ((n = digits(at, end, 2)) == 0 || at + n >= end)
        return 0;
    at += n;
    if (*at == 'T' || *at == 't') {
        at++;
    } else {
        if (*at != ' ' && *at != '\t')
            return 0;
        while (at < end && (*at == ' ' || *at == '\t'))
            at++;
    }
    if ((n = digits(at, end, 2)) == 0)
        return 0;
    at += n;
    for (int pair = 0; pair < 2; pair++) {
        if (at >= end || *at != ':' || digits(at + 1, end, 2) != 2)
            return 0;
        at += 3;
    }
    if (at < end && *at == '.')
        for (at++; at < end && is_digit(*at); at++)
            ;
    while (at < end && (*at == ' ' || *at == '\t'))
        at++;
    if (at == end)
        return 1;
    if (*at == 'Z')
        return at + 1 == end;
    if (*at != '+' && *at != '-')
        return 0;
    at++;
    if ((n = digits(at, end, 2)) == 0)
        return 0;
    at += n;
    if (at < end && *at == ':') {
        if (digits(at + 1, end, 2) != 2)
            return 0;
        at += 3;
    }
    return at == end;
}

/* The key as a str if key_ok accepts it; NULL with no exception set if it does not. */
static PyObject *accepted_key(const unsigned char *at, Py_ssize_t length)
{
    PyObject *key = PyUnicode_FromStringAndSize((const char *)at, length);
    if (key == NULL)
        return NULL;
    PyObject *known = PyDict_GetItemWithError(known_keys, key);
    if (known != NULL) {
        Py_INCREF(known);
        Py_DECREF(key);
        return known;
    }
    if (PyErr_Occurred())
        goto fail;
    PyObject *verdict = PyObject_CallOneArg(rule_key_ok, key);
    if (verdict == NULL)
        goto fail;
    int ok = PyObject_IsTrue(verdict);
    Py_DECREF(verdict);
    if (ok < 0)
        goto fail;
    if (!ok) {
        Py_DECREF(key);
        return NULL;
    }
    if (PyDict_GET_SIZE(known_keys) < KNOWN_KEYS_MAX && PyDict_SetItem(known_keys, key, key) < 0)
        goto fail;
    return key;
fail:
    Py_DECREF(key);
    return NULL;
}

/* A value as parse_simple builds it: a new reference; Py_None borrowed-and-increfed for
 * "give up" is told apart by *give_up. NULL with an exception on error. */
static PyObject *simple_value(const unsigned char *at, const unsigned char *end, int *give_up)
{
    *give_up = 1;
    while (at < end && *at == ' ')
        at++;
    while (end > at && end[-1] == ' ')
        end--;
    Py_ssize_t length = end - at;
    if (length == 0) {
        *give_up = 0;
        Py_RETURN_NONE;
    }
    unsigned char first = at[0];
    if (first == '"' || first == '\'') {
        if (length < 2 || end[-1] != first)
            Py_RETURN_NONE;
        for (const unsigned char *c = at + 1; c < end - 1; c++)
            if (*c == first || (first == '"' && *c == '\\'))
                Py_RETURN_NONE;
        *give_up = 0;
        return PyUnicode_DecodeUTF8((const char *)at + 1, length - 2, "strict");
    }
    if (strchr("-?:,[]{}#&*!|>'\"%@`", first) != NULL || end[-1] == ':' || contains(at, end, ": ") ||
        contains(at, end, " #"))
        Py_RETURN_NONE;
    PyObject *text = PyUnicode_DecodeUTF8((const char *)at, length, "strict");
    int maybe_typed = first < 128 && rule_resolvable[first] &&
                      (memchr(at, ' ', (size_t)length) == NULL || is_timestamp(at, end));
    if (text == NULL || !maybe_typed) {
        *give_up = text == NULL;
        return text;
    }
    PyObject *known = PyDict_GetItemWithError(known_strings, text);
    if (known != NULL) {
        *give_up = 0;
        Py_INCREF(known);
        Py_DECREF(text);
        return known;
    }
    if (PyErr_Occurred()) {
        Py_DECREF(text);
        return NULL;
    }
    PyObject *outcome = PyObject_CallOneArg(rule_resolve, text);
    if (outcome == NULL) {
        Py_DECREF(text);
        return NULL;
    }
    if (!PyTuple_Check(outcome) || PyTuple_GET_SIZE(outcome) != 2) {
        Py_DECREF(outcome);
        Py_DECREF(text);
        PyErr_SetString(PyExc_TypeError, "resolve() must return (ok, value)");
        return NULL;
    }
    int ok = PyObject_IsTrue(PyTuple_GET_ITEM(outcome, 0));
    if (ok < 0) {
        Py_DECREF(outcome);
        Py_DECREF(text);
        return NULL;
    }
    PyObject *value = PyTuple_GET_ITEM(outcome, 1);
    Py_INCREF(value);
    Py_DECREF(outcome);
    *give_up = !ok;
    if (ok && PyUnicode_CheckExact(value) && PyDict_GET_SIZE(known_strings) < KNOWN_STRINGS_MAX &&
        PyUnicode_Compare(value, text) == 0 && PyDict_SetItem(known_strings, text, text) < 0) {
        Py_DECREF(text);
        Py_DECREF(value);
        return NULL;
    }
    Py_DECREF(text);
    return value;
}

/* simple_front_matter(data, complete) -> dict or None
 *
 * ``data``: a file's first bytes (its byte order mark taken off); ``complete``: they are
 * the whole file. The front matter's mapping when the file is UTF-8 text (a character
 * cut at the end allowed when not complete) with no NUL, opens with exactly "---\n",
 * closes within ``data``, and every line between is empty or ``key: value`` as
 * described above; else None. */
static PyObject *simple_front_matter(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyBytes_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "simple_front_matter(data: bytes, complete: bool)");
        return NULL;
    }
    if (rule_resolve == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "set_front_matter_rules() was not called");
        return NULL;
    }
    int complete = PyObject_IsTrue(args[1]);
    if (complete < 0)
        return NULL;
    const unsigned char *data = (const unsigned char *)PyBytes_AS_STRING(args[0]);
    Py_ssize_t size = PyBytes_GET_SIZE(args[0]);
    if (size < 4 || memcmp(data, "---\n", 4) != 0 || memchr(data, 0, (size_t)size) != NULL)
        Py_RETURN_NONE;
    int state = check_utf8(data, (size_t)size);
    if (state == UTF8_INVALID || (state == UTF8_CUT && complete))
        Py_RETURN_NONE;
    PyObject *mapping = PyDict_New();
    if (mapping == NULL)
        return NULL;
    const unsigned char *line = data + 4, *end = data + size;
    for (;;) {
        const unsigned char *stop = memchr(line, '\n', (size_t)(end - line));
        /* at the end of partial data, a closing line could go on in the file */
        if ((stop != NULL || complete) && is_closing(line, stop != NULL ? stop : end))
            return mapping;
        if (stop == NULL || has_not_simple(line, stop))
            break;  /* no closing line here, or a line to leave to Python */
        if (stop == line) {
            line = stop + 1;
            continue;
        }
        const unsigned char *colon = line;
        if (!is_key_start(*colon))
            break;
        while (colon < stop && is_key_char(*colon))
            colon++;
        if (colon == stop || *colon != ':' || (colon + 1 < stop && colon[1] != ' '))
            break;
        PyObject *key = accepted_key(line, colon - line);
        if (key == NULL) {
            if (PyErr_Occurred())
                goto fail;
            break;
        }
        int give_up;
        PyObject *value = simple_value(colon + 1, stop, &give_up);
        if (value == NULL || give_up) {
            Py_DECREF(key);
            Py_XDECREF(value);
            if (value == NULL)
                goto fail;
            break;
        }
        int failed = PyDict_SetItem(mapping, key, value);
        Py_DECREF(key);
        Py_DECREF(value);
        if (failed < 0)
            goto fail;
        line = stop + 1;
    }
    Py_DECREF(mapping);
    Py_RETURN_NONE;
fail:
    Py_DECREF(mapping);
    return NULL;
}

/* read_head(path, folder, limit) -> (data, size, mtime_ns)
 *
 * What os.open (relative to the open folder ``folder``, or -1 for none), os.fstat,
 * os.read(limit) and os.close give a loader, in one call that lets go of the GIL while
 * it waits on the file system, and raises the OSError they would raise. */
static PyObject *read_head(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "read_head(path, folder, limit)");
        return NULL;
    }
    long folder = PyLong_AsLong(args[1]);
    if (folder == -1 && PyErr_Occurred())
        return NULL;
    if (folder > INT_MAX || folder < -1) {
        PyErr_SetString(PyExc_ValueError, "folder must be an open file descriptor or -1");
        return NULL;
    }
    Py_ssize_t limit = PyLong_AsSsize_t(args[2]);
    if (limit < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "limit must not be negative");
        return NULL;
    }
    PyObject *path;
    if (!PyUnicode_FSConverter(args[0], &path))
        return NULL;
    PyObject *data = PyBytes_FromStringAndSize(NULL, limit);
    if (data == NULL) {
        Py_DECREF(path);
        return NULL;
    }
    char *into = PyBytes_AS_STRING(data);
    const char *name = PyBytes_AS_STRING(path);
    struct stat info;
    ssize_t got = 0;
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS
    /* Never waits: a named pipe put in a post's place since the scan opens at once and is
     * refused below, as the Python reader does. */
    int descriptor = openat(folder < 0 ? AT_FDCWD : (int)folder, name,
                            O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (descriptor < 0) {
        failed = errno;
    } else {
        if (fstat(descriptor, &info) != 0) {
            failed = errno;
        } else if (!S_ISREG(info.st_mode)) {
            failed = S_ISDIR(info.st_mode) ? EISDIR : EINVAL;
        } else {
            do
                got = read(descriptor, into, (size_t)limit);
            while (got < 0 && errno == EINTR);
            if (got < 0)
                failed = errno;
        }
        close(descriptor);
    }
    Py_END_ALLOW_THREADS
    Py_DECREF(path);
    if (failed) {
        Py_DECREF(data);
        errno = failed;
        return PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, args[0]);
    }
    if (got < limit && _PyBytes_Resize(&data, got) < 0)
        return NULL;
    return Py_BuildValue("(NLL)", data, (long long)info.st_size, (long long)mtime_ns(&info));
}

/* Days from 1970-01-01 to the given day of the proleptic Gregorian calendar (the one
 * Python's datetime uses), for any year from 1 to 9999. */
static long long days_since_epoch(int year, int month, int day)
{
    /* Counting years from March, the leap day ends a year: H. Hinnant's days_from_civil. */
    long long y = year - (month <= 2);
    long long era = y / 400;
    long long of_era = y - era * 400;
    long long day_of_year = (153LL * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    long long of_era_days = of_era * 365 + of_era / 4 - of_era / 100 + day_of_year;
    return era * 146097 + of_era_days - 719468;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month - 1] + (month == 2 && leap);
}

/* common_date(value) -> (year, month, day, hour, minute, second, 0, offset, timestamp)
 *
 * The date form most archives write, "2022-06-01 15:43:26 +0800", as the fields a post
 * keeps: its wall time as written, the offset in seconds east of UTC and the moment in
 * seconds since the epoch, which is what jekyll.parse_date_text's datetime gives for
 * it. None for any other value, and for a moment that is not real (a 30 February, hour
 * 24): Python works those out. */
static PyObject *common_date(PyObject *self, PyObject *value)
{
    static const char shape[] = "dddd-dd-dd dd:dd:dd sdddd";
    const Py_ssize_t length = (Py_ssize_t)sizeof shape - 1;
    if (!PyUnicode_CheckExact(value) || !PyUnicode_IS_ASCII(value) || PyUnicode_GET_LENGTH(value) != length)
        Py_RETURN_NONE;
    const unsigned char *at = PyUnicode_1BYTE_DATA(value);
    for (Py_ssize_t i = 0; i < length; i++) {
        int fits = shape[i] == 'd' ? is_digit(at[i]) : shape[i] == 's' ? at[i] == '+' || at[i] == '-' : at[i] == shape[i];
        if (!fits)
            Py_RETURN_NONE;
    }
#define NUMBER2(i) ((at[i] - '0') * 10 + (at[(i) + 1] - '0'))
    int year = NUMBER2(0) * 100 + NUMBER2(2), month = NUMBER2(5), day = NUMBER2(8);
    int hour = NUMBER2(11), minute = NUMBER2(14), second = NUMBER2(17);
    int offset_hours = NUMBER2(21), offset_minutes = NUMBER2(23);
#undef NUMBER2
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23
        || minute > 59 || second > 59 || offset_hours > 23 || offset_minutes > 59)
        Py_RETURN_NONE;
    long offset = (at[20] == '-' ? -1 : 1) * (offset_hours * 3600L + offset_minutes * 60L);
    long long moment = days_since_epoch(year, month, day) * 86400 + hour * 3600LL + minute * 60LL + second - offset;
    return Py_BuildValue("(iiiiiiild)", year, month, day, hour, minute, second, 0, offset, (double)moment);
}

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
    PyObject **given = PyMem_Malloc(sizeof(PyObject *) * room), **sorted = PyMem_Malloc(sizeof(PyObject *) * room);
    PyObject *result = NULL;
    if (ranks == NULL || spare == NULL || keys == NULL || order == NULL || given == NULL || sorted == NULL) {
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
        given[at] = row;
    }
    struct ranked *newest = ranks;
    Py_BEGIN_ALLOW_THREADS
    newest = sort_newest_first(ranks, spare, keys, keys + room, count);
    Py_END_ALLOW_THREADS
    /* Another thread may have changed the list meanwhile: then the rows (and the paths
     * and tuples taken from them) may be gone. Unchanged, the list holds them all. */
    if (PyList_GET_SIZE(rows) != count
        || (count > 0 && memcmp(((PyListObject *)rows)->ob_item, given, sizeof(PyObject *) * (size_t)count) != 0)) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    for (Py_ssize_t start = 0, end; start < count; start = end) {
        for (end = start + 1; end < count && newest[end].moment == newest[start].moment; end++)
            ;
        if (end - start > 1) /* posts of the same moment: a few, now and then */
            qsort(newest + start, (size_t)(end - start), sizeof(struct ranked), by_path_descending);
    }
    for (Py_ssize_t at = 0; at < count; at++) {
        order[at] = newest[at].at;
        sorted[at] = given[newest[at].at];
    }
    result = index_facts(facts, order, count);
    if (result != NULL && count > 0) {
        /* No Python code ran since the list was checked (the indexes' keys are exact
         * str and int): put its items in order. */
        memcpy(((PyListObject *)rows)->ob_item, sorted, sizeof(PyObject *) * (size_t)count);
    }
done:
    PyMem_Free(ranks);
    PyMem_Free(spare);
    PyMem_Free(keys);
    PyMem_Free(order);
    PyMem_Free(given);
    PyMem_Free(sorted);
    facts_free(facts);
    return result;
}

/* list_folder(folder) -> (names, types)
 *
 * The entries of ``folder`` but "." and "..", in the order readdir gives them (as
 * os.scandir does): their names (decoded as os.fsdecode does) and one byte per entry,
 * its d_type (DT_UNKNOWN where the file system does not say). OSError when the folder
 * cannot be opened or read. */
static PyObject *list_folder(PyObject *self, PyObject *arg)
{
    PyObject *path;
    if (!PyUnicode_FSConverter(arg, &path))
        return NULL;
    char *names = NULL;  /* the names, each followed by its NUL */
    char *types = NULL;
    size_t used = 0, room = 0, count = 0, type_room = 0;
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS
    DIR *folder = opendir(PyBytes_AS_STRING(path));
    if (folder == NULL) {
        failed = errno;
    } else {
        struct dirent *entry;
        errno = 0;
        while ((entry = readdir(folder)) != NULL) {
            const char *name = entry->d_name;
            if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
                continue;
            size_t length = strlen(name) + 1;
            if (used + length > room || count == type_room) {
                size_t grown = room ? room * 2 : 1 << 16;
                while (grown < used + length)
                    grown *= 2;
                size_t grown_types = type_room ? type_room * 2 : 4096;
                char *more = realloc(names, grown), *more_types = realloc(types, grown_types);
                if (more != NULL)
                    names = more;
                if (more_types != NULL)
                    types = more_types;
                if (more == NULL || more_types == NULL) {
                    failed = ENOMEM;
                    break;
                }
                room = grown;
                type_room = grown_types;
            }
            memcpy(names + used, name, length);
            used += length;
            types[count++] = (char)entry->d_type;
            errno = 0;
        }
        if (!failed && errno != 0)
            failed = errno;
        closedir(folder);
    }
    Py_END_ALLOW_THREADS
    PyObject *result = NULL;
    if (failed) {
        if (failed == ENOMEM)
            PyErr_NoMemory();
        else {
            errno = failed;
            PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, arg);
        }
        goto done;
    }
    PyObject *listed = PyList_New((Py_ssize_t)count);
    if (listed == NULL)
        goto done;
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
        size_t length = strlen(names + at);
        PyObject *name = PyUnicode_DecodeFSDefaultAndSize(names + at, (Py_ssize_t)length);
        if (name == NULL) {
            Py_DECREF(listed);
            goto done;
        }
        PyList_SET_ITEM(listed, (Py_ssize_t)i, name);
        at += length + 1;
    }
    result = Py_BuildValue("(Ny#)", listed, count ? types : "", (Py_ssize_t)count);
done:
    free(names);
    free(types);
    Py_DECREF(path);
    return result;
}

static PyMethodDef methods[] = {
    {"list_folder", list_folder, METH_O, "A folder's entry names and d_types, read without the GIL."},
    {"utf8_state", utf8_state, METH_O, "0: UTF-8; 1: UTF-8 but for a character cut at the end; 2: not."},
    {"stat_folders", stat_folders, METH_O, "Stat names relative to their folders, without the GIL."},
    {"read_head", (PyCFunction)(void (*)(void))read_head, METH_FASTCALL,
     "A file's first bytes, size and mtime: open, fstat, read and close in one call."},
    {"simple_front_matter", (PyCFunction)(void (*)(void))simple_front_matter, METH_FASTCALL,
     "A file's front matter when it is simple key: value lines, else None."},
    {"common_date", common_date, METH_O, "The fields of a date written 2022-06-01 15:43:26 +0800, else None."},
    {"sort_rows", sort_rows, METH_VARARGS, "Sort rows newest first, then by path descending; and index them."},
    {"set_front_matter_rules", set_front_matter_rules, METH_VARARGS,
     "The Python checks of keys and plain values the front matter reader calls."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_fastio",
    .m_doc = "The loader's hot paths: batched file system calls without the GIL, a UTF-8 check, plain front matter.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__fastio(void)
{
    return PyModule_Create(&module);
}
