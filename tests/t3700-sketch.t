#!/bin/bash
# Unit test of the DDSketch behind the percentiles of partial aggregates:
# within alpha of the exact value, merged in any order as the whole.
exec "${HS_UNIT:-$(dirname "$0")/../build/tests}/sketch_test"
