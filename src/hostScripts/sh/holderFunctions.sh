# shellcheck shell=bash
# Shell functions for the holders of a bucket's FUSE mount (hostScripts/holders.ts). A holder's file
# (holders/<id>/<holder>) is three lines: its description (project/stack/component:path), its group
# (project/stack/component: the holders whose commands render one plan, so they always agree) and
# the fingerprint of the mount it asked for (sh/mountSpec.sh's mount_spec). One FUSE mount has one
# set of options: holders of other groups that ask for others must be told, never overruled.

# spec_differences THEIRS OURS: one line per option the two fingerprints give differently, as
# "<option>: <theirs> there, <ours> here" ("unset" where one has none; a flag without a value is
# "set"); the keys and the cache size by name, the keys' hashes never.
spec_differences() {
  awk -v theirs="$1" -v ours="$2" '
    function load(spec, into,   words, n, options, i, entry, at) {
      n = split(spec, words, " ")
      split(words[4], options, ",")
      for (i in options) {
        entry = options[i]; at = index(entry, "=")
        if (at) into[substr(entry, 1, at - 1)] = substr(entry, at + 1); else into[entry] = "set"
      }
      into["keys (credentials)"] = words[7]
      for (i = 8; i <= n; i++) if (words[i] ~ /^cache=/) into["cacheSizeMb"] = substr(words[i], 7)
    }
    function shown(map, key) { return key in map ? map[key] : "unset" }
    BEGIN {
      load(theirs, T); load(ours, O)
      for (k in T) all[k] = 1
      for (k in O) all[k] = 1
      for (k in all) {
        if (shown(T, k) == shown(O, k)) continue
        if (k == "keys (credentials)") print k ": other keys there than here"
        else print k ": " shown(T, k) " there, " shown(O, k) " here"
      }
    }' | sort
}

# agree_with_holders HOLDERS_DIR OWN_FILE GROUP SPEC MOUNT: fails, naming each holder of another
# group whose mount differs from SPEC with the options and both values (MOUNT says which mount:
# "bucket <b> at <dir>"), unless every holder agrees.
agree_with_holders() {
  local holders=$1 own=$2 group=$3 spec=$4 mount=$5 f theirs report=
  for f in "$holders"/*; do
    if [ ! -f "$f" ] || [ "$f" = "$own" ]; then continue; fi
    [ "$(sed -n 2p "$f")" != "$group" ] || continue
    theirs=$(sed -n 3p "$f")
    [ "$theirs" != "$spec" ] || continue
    report+="
  held by $(sed -n 1p "$f") ($f) with other options:
$(spec_differences "$theirs" "$spec" | sed 's/^/    /')"
  done
  [ -z "$report" ] || fail "$mount has one FUSE mount on this host, and its other holders asked for other options:$report
Give every stack that mounts this bucket on this host the same geesefs options, login and readOnly; or, if a holder named here is gone, remove its file."
}
