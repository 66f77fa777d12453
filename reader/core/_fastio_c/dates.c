/* The date form most archives write, read without Python's datetime. */
#include "fastio.h"

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
 * seconds since the epoch, which is what dates.parse_date_text's datetime gives for
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

PyMethodDef fastio_dates_methods[] = {
    {"common_date", common_date, METH_O, "The fields of a date written 2022-06-01 15:43:26 +0800, else None."},
    {NULL, NULL, 0, NULL},
};
