/* reader.core._fastio: the loader's hot paths in C, each part in its own file.
 *
 *   file_system.c   list a folder, stat many files, read a file's head, without the GIL
 *   utf8.c          the UTF-8 check of a file's bytes
 *   front_matter.c  the plainest front matter ("key: value" lines) read in one call
 *   dates.c         the date form most archives write ("2022-06-01 15:43:26 +0800")
 *   ordering.c      the posts sorted newest first and indexed after a load
 *
 * reader/core/archive.py does the same in Python where this module is not built; the
 * tests compare the two (tests/core/test_fastio.py), and tests/benchmarks/native.py
 * measures what each part gains.
 */
#include "fastio.h"

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_fastio",
    .m_doc = "The loader's hot paths: batched file system calls without the GIL, a UTF-8 check, plain front matter.",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit__fastio(void)
{
    PyMethodDef *parts[] = {
        fastio_file_system_methods, fastio_utf8_methods, fastio_front_matter_methods,
        fastio_dates_methods, fastio_ordering_methods,
    };
    PyObject *created = PyModule_Create(&module);
    if (created == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (PyModule_AddFunctions(created, parts[i]) < 0) {
            Py_DECREF(created);
            return NULL;
        }
    return created;
}
