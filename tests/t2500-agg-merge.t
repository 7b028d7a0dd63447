#!/bin/bash
# Unit test of field_merge, the merge of two aggregate states (sessions
# that join, partial aggregates of several instances).
exec "${HS_UNIT:-$(dirname "$0")/../build/tests}/agg_merge_test"
