# Shared by the bench scripts (sourced; $root is the repository root).

# it_tests_classpath PATTERN: it-tests' test classes and its test-scope jars whose paths match PATTERN
# (grep -E), after building it-tests and what it needs.
it_tests_classpath() {
  local cpfile
  cpfile=$(mktemp)
  mvn -q -o -pl it-tests -am test-compile dependency:build-classpath \
      -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >&2
  echo "$root/it-tests/target/test-classes:$(tr ':' '\n' < "$cpfile" | grep -E "$1" | paste -sd:)"
  rm -f "$cpfile"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
minimum() { sort -n | head -1; }
