# tests/fuzz/lib.sh - the seed corpus of each fuzzing target, for
# tests/fuzz/run.sh and tests/t0400-fuzz.t.
corpus_of() {	# TARGET
	case $1 in
	time) echo time ;;
	replay) echo matrix ;;
	state) echo state ;;
	*) echo ndjson ;;	# json, every hs-fmt mode, window, agg, detect
	esac
}
