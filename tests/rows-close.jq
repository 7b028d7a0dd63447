# jq -n -r --slurpfile want A --slurpfile got B --argjson alpha X -f rows-close.jq
# Rows of hs-agg keyed by window start and sensor: the same rows; count,
# min, max, first and last equal; percentiles within alpha, relatively;
# every other number within 1e-9, relatively. Prints each difference.
def rel(a; b):
	if a == b then 0
	else ((a - b) | fabs) / ([(a | fabs), (b | fabs), 1e-300] | max) end;
def rowkey: "\(.window.start) \(.sensor)";
($want | map({key: rowkey, value: .}) | from_entries) as $w
| ($got | map({key: rowkey, value: .}) | from_entries) as $g
| ($w | keys[] | select($g[.] == null) | "missing row \(.)"),
  ($g | keys[] | select($w[.] == null) | "extra row \(.)"),
  ($g | to_entries[] | .key as $row | .value as $m | $w[$row] as $r
   | select($r != null)
   | $m | to_entries[] | select(.key != "window" and .key != "sensor")
   | .key as $k | .value as $v
   | if ($k == "count" or ($k | test("^(min|max|first|last)_"))) then
	select($v != $r[$k]) | "\($row) \($k): \($v), want \($r[$k])"
     elif ($k | test("^p[0-9]+_")) then
	select(rel($v; $r[$k]) > $alpha * (1 + 1e-9))
	| "\($row) \($k): \($v) not within \($alpha) of \($r[$k])"
     else
	select(rel($v; $r[$k]) > 1e-9) | "\($row) \($k): \($v), want \($r[$k])"
     end)
