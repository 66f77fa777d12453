#include "fastio.h"

#include <string.h>

/* The plainest front matter, read in one call.
 *
 * Most posts open with the same few lines, ``key: value`` each, read in Python by
 * front_matter.parse_simple. simple_front_matter gives the same mapping for the plainest
 * of those, from the file's bytes, in one call: it finds the front matter as Jekyll does,
 * checks the text is UTF-8 and builds the values. Whatever it does not know for sure
 * (quotes with escapes, lists, comments, tabs, CRs, indents, a missing closing line,
 * text that is not UTF-8) makes it answer None, and Python reads the file as before. A
 * plain value whose first character starts one of YAML's implicit types (a number, a
 * date, true, null...) is built by the Python resolver set with set_front_matter_rules,
 * as are the checks of new keys: the two paths share their knowledge of YAML. Those
 * rules, and what they answered, are kept in the module's state (struct rules,
 * fastio.h), set by that one call. */

#define KNOWN_KEYS_MAX 1000
#define KNOWN_STRINGS_MAX 5000

/* set_front_matter_rules(key_ok, resolve, resolvable: str) */
static PyObject *set_front_matter_rules(PyObject *self, PyObject *args)
{
    struct rules *rules = &fastio_state(self)->rules;
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
    unsigned char resolvable_first[128] = {0};
    for (Py_ssize_t i = 0; i < count; i++) {
        unsigned char c = (unsigned char)resolvable[i];
        if (c >= 128) {
            Py_DECREF(keys);
            Py_DECREF(strings);
            PyErr_SetString(PyExc_ValueError, "resolvable first characters must be ASCII");
            return NULL;
        }
        resolvable_first[c] = 1;
    }
    Py_INCREF(key_ok);
    Py_INCREF(resolve);
    memcpy(rules->resolvable, resolvable_first, sizeof rules->resolvable);
    Py_XSETREF(rules->key_ok, key_ok);
    Py_XSETREF(rules->resolve, resolve);
    Py_XSETREF(rules->known_keys, keys);
    Py_XSETREF(rules->known_strings, strings);
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
static PyObject *accepted_key(struct rules *rules, const unsigned char *at, Py_ssize_t length)
{
    PyObject *key = PyUnicode_FromStringAndSize((const char *)at, length);
    if (key == NULL)
        return NULL;
    PyObject *known = PyDict_GetItemWithError(rules->known_keys, key);
    if (known != NULL) {
        Py_INCREF(known);
        Py_DECREF(key);
        return known;
    }
    if (PyErr_Occurred())
        goto fail;
    PyObject *verdict = PyObject_CallOneArg(rules->key_ok, key);
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
    if (PyDict_GET_SIZE(rules->known_keys) < KNOWN_KEYS_MAX && PyDict_SetItem(rules->known_keys, key, key) < 0)
        goto fail;
    return key;
fail:
    Py_DECREF(key);
    return NULL;
}

/* A value as parse_simple builds it: a new reference; Py_None borrowed-and-increfed for
 * "give up" is told apart by *give_up. NULL with an exception on error. */
static PyObject *simple_value(struct rules *rules, const unsigned char *at, const unsigned char *end, int *give_up)
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
    int maybe_typed = first < 128 && rules->resolvable[first] &&
                      (memchr(at, ' ', (size_t)length) == NULL || is_timestamp(at, end));
    if (text == NULL || !maybe_typed) {
        *give_up = text == NULL;
        return text;
    }
    PyObject *known = PyDict_GetItemWithError(rules->known_strings, text);
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
    PyObject *outcome = PyObject_CallOneArg(rules->resolve, text);
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
    if (ok && PyUnicode_CheckExact(value) && PyDict_GET_SIZE(rules->known_strings) < KNOWN_STRINGS_MAX &&
        PyUnicode_Compare(value, text) == 0 && PyDict_SetItem(rules->known_strings, text, text) < 0) {
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
    struct rules *rules = &fastio_state(self)->rules;
    if (rules->resolve == NULL) {
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
    int state = fastio_check_utf8(data, (size_t)size);
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
        PyObject *key = accepted_key(rules, line, colon - line);
        if (key == NULL) {
            if (PyErr_Occurred())
                goto fail;
            break;
        }
        int give_up;
        PyObject *value = simple_value(rules, colon + 1, stop, &give_up);
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

PyMethodDef fastio_front_matter_methods[] = {
    {"simple_front_matter", (PyCFunction)(void (*)(void))simple_front_matter, METH_FASTCALL,
     "A file's front matter when it is simple key: value lines, else None."},
    {"set_front_matter_rules", set_front_matter_rules, METH_VARARGS,
     "The Python checks of keys and plain values the front matter reader calls."},
    {NULL, NULL, 0, NULL},
};
