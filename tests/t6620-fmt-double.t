#!/bin/bash
# Unit test of fmt_double, the printf-free number format of every JSON
# output: the same text as printf's shortest of %.15g, %.16g and %.17g.
exec "${HS_UNIT:-$(dirname "$0")/../build/tests}/fmtdouble_test"
