#!/bin/bash
# Unit tests of common/: a C program that prints TAP itself.
TZ=UTC exec "${HS_UNIT:-$(dirname "$0")/../build/tests}/common_test"
