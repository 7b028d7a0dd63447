#!/bin/bash
# Unit tests of time_parse_arg (common/timefmt.c): instants on command lines.
exec "${HS_UNIT:-$(dirname "$0")/../build/tests}/time_arg_test"
