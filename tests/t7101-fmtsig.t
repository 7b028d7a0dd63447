#!/bin/bash
# Unit test of fmt_sig, the printf-free number format of messages.
exec "${HS_UNIT:-$(dirname "$0")/../build/tests}/fmtsig_test"
