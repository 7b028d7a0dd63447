#!/bin/bash
# Unit tests of common/strtab, the hash table of keys: a C program that
# prints TAP itself.
exec "${HS_UNIT:-$(dirname "$0")/../build/tests}/strtab_test"
