/* What the parts of the compiled helper reader.core._fastio share (module.c puts them
 * together). */
#ifndef READER_FASTIO_H
#define READER_FASTIO_H

/* POSIX only (openat, fstatat, readdir, pthreads): Linux and macOS. setup.py does not
 * build it elsewhere (Windows), where the loader does the same work in Python. */
#if defined(_WIN32)
#error "reader.core._fastio is built on POSIX systems only"
#endif

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* The Python rules the front matter reader calls (front_matter.c), set by
 * set_front_matter_rules. */
struct rules {
    PyObject *key_ok;              /* key_ok(key: str) -> bool */
    PyObject *resolve;             /* resolve(value: str) -> (ok, value) */
    unsigned char resolvable[128]; /* first characters of values that need resolve() */
    PyObject *known_keys;          /* keys key_ok accepted: str -> the same str */
    /* Plain values resolve() gave back as the same string (a source's category "yicai"
     * starts like "yes"): str -> the same str. Posts repeat them. */
    PyObject *known_strings;
};

/* The module's state (PEP 489): each module object, in each interpreter, has its own. */
typedef struct {
    struct rules rules;
} fastio_module_state;

static inline fastio_module_state *fastio_state(PyObject *module)
{
    return (fastio_module_state *)PyModule_GetState(module);
}

/* How a UTF-8 check of some bytes ended, as Python's strict decoder sees them. */
enum { UTF8_VALID = 0, UTF8_CUT = 1, UTF8_INVALID = 2 };

/* utf8.c: is ``data`` UTF-8? */
int fastio_check_utf8(const unsigned char *data, size_t length);

static inline int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Each part's functions, which module.c adds to the module. */
extern PyMethodDef fastio_file_system_methods[];
extern PyMethodDef fastio_front_matter_methods[];
extern PyMethodDef fastio_dates_methods[];
extern PyMethodDef fastio_ordering_methods[];

#endif
