/* Batched file system calls: list a folder, stat many files, read a file's head, each in
 * one call that lets go of the GIL. */
#include "fastio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
#if defined(__APPLE__)
    return (int64_t)info->st_mtimespec.tv_sec * 1000000000 + info->st_mtimespec.tv_nsec;
#else
    return (int64_t)info->st_mtim.tv_sec * 1000000000 + info->st_mtim.tv_nsec;
#endif
}

/* An entry's type as readdir gives it, or DT_UNKNOWN (0) where the system gives none:
 * the loader then stats the entry, as it does for DT_UNKNOWN on any file system. */
#if defined(DT_UNKNOWN)
#define ENTRY_TYPE(entry) ((char)(entry)->d_type)
#else
#define ENTRY_TYPE(entry) ((char)0)
#endif

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
    /* Read into a buffer of our own, then copied into a bytes of the size read: the
     * copy (16 KB at most as the loader calls it) costs less than the read. */
    char *into = PyMem_Malloc(limit ? (size_t)limit : 1);
    if (into == NULL) {
        Py_DECREF(path);
        return PyErr_NoMemory();
    }
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
        PyMem_Free(into);
        errno = failed;
        return PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, args[0]);
    }
    PyObject *data = PyBytes_FromStringAndSize(into, got);
    PyMem_Free(into);
    if (data == NULL)
        return NULL;
    return Py_BuildValue("(NLL)", data, (long long)info.st_size, (long long)mtime_ns(&info));
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
            types[count++] = ENTRY_TYPE(entry);
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

PyMethodDef fastio_file_system_methods[] = {
    {"list_folder", list_folder, METH_O, "A folder's entry names and d_types, read without the GIL."},
    {"stat_folders", stat_folders, METH_O, "Stat names relative to their folders, without the GIL."},
    {"read_head", (PyCFunction)(void (*)(void))read_head, METH_FASTCALL,
     "A file's first bytes, size and mtime: open, fstat, read and close in one call."},
    {NULL, NULL, 0, NULL},
};
