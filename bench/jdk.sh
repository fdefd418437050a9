# Sourced by the benchmark scripts: sets $java to the first JDK 25 or newer (JAVA_HOME first, then /usr/lib/jvm).
java=
for j in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java; do
  v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
  if [[ -n $v && $v -ge 25 ]]; then java=$j; break; fi
done
[[ -n $java ]] || { echo "${0##*/}: needs a JDK 25 or newer" >&2; exit 1; }
