/* reader.core._fastio: the loader's hot paths in C, each part in its own file.
 *
 *   file_system.c   list a folder, stat many files, read a file's head, without the GIL
 *   utf8.c          the UTF-8 check of a file's bytes (for front_matter.c)
 *   front_matter.c  the plainest front matter ("key: value" lines) read in one call
 *   dates.c         the date form most archives write ("2022-06-01 15:43:26 +0800")
 *   ordering.c      the posts sorted newest first and indexed after a load
 *
 * reader/core/native.py gives each function with its Python fallback, used where this
 * module is not built; the tests compare the two (tests/core/test_fastio.py), and tests/benchmarks/native.py
 * measures what each part gains.
 */
#include "fastio.h"

/* Each part's functions go on the module when it is made. */
static int add_parts(PyObject *module)
{
    PyMethodDef *parts[] = {
        fastio_file_system_methods, fastio_front_matter_methods,
        fastio_dates_methods, fastio_ordering_methods,
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (PyModule_AddFunctions(module, parts[i]) < 0)
            return -1;
    return 0;
}

static int traverse(PyObject *module, visitproc visit, void *arg)
{
    struct rules *rules = &fastio_state(module)->rules;
    Py_VISIT(rules->key_ok);
    Py_VISIT(rules->resolve);
    Py_VISIT(rules->known_keys);
    Py_VISIT(rules->known_strings);
    return 0;
}

static int clear(PyObject *module)
{
    struct rules *rules = &fastio_state(module)->rules;
    Py_CLEAR(rules->key_ok);
    Py_CLEAR(rules->resolve);
    Py_CLEAR(rules->known_keys);
    Py_CLEAR(rules->known_strings);
    return 0;
}

static void free_module(void *module)
{
    clear((PyObject *)module);
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, add_parts},
#ifdef Py_MOD_PER_INTERPRETER_GIL_SUPPORTED
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
    {0, NULL},
};

/* Multi-phase initialisation (PEP 489): no state outside the module object. */
static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_fastio",
    .m_doc = "The loader's hot paths: batched file system calls without the GIL, plain front matter, dates, "
             "the order of the posts.",
    .m_size = sizeof(fastio_module_state),
    .m_slots = slots,
    .m_traverse = traverse,
    .m_clear = clear,
    .m_free = free_module,
};

PyMODINIT_FUNC PyInit__fastio(void)
{
    return PyModuleDef_Init(&module);
}
