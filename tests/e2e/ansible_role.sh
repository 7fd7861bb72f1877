#!/bin/bash
# The Ansible role on a target that has neither libinih nor json-c and no
# reclaim-advisor installed (issue 14): in a private mount namespace the
# shared libraries are hidden (/dev/null bound over libinih.so.* and
# libjson-c.so.*; the CLI binary then no longer starts, proving it), while
# ansible-core, which needs neither, runs the play on localhost.  The role
# deploys the shipped rules and templates to a data directory, renders pins
# and waivers into a site profile and runs the statically linked module on a
# copy of a QEMU guest capture:
#   check + diff     -> changed, the diff shows the fragment, nothing written
#   apply            -> fragment (with the pin) written, values live, report
#   rerun            -> ok (changed=0)
#   absent, check    -> changed, nothing removed
#   absent           -> fragment and report gone, the live values as before
#                       (min_free_kbytes: the capture's 131072 is above the
#                       safety cap of this 2 GiB guest, so the kernel's own
#                       value is restored instead, with a warning)
#   absent again     -> ok
#   a bad profile    -> failed, msg is the tool's message
# plus: ansible-doc shows the module's documentation, and every parameter
# the module accepts is documented there and in meta/argument_specs.yml.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
# shellcheck source=lib/ansible.sh
. tests/e2e/lib/ansible.sh
ansible_missing && exit 0
if ! unshare -m true 2>/dev/null; then
	echo "SKIP: unshare -m not permitted (needs root); the libraries cannot be hidden"
	exit 0
fi
REPO=$PWD
MOD=$(ansible_module) || exit 1
TMP=$(mktemp -d /tmp/ansible-role-e2e.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

if ldd "$MOD" | grep -E 'libinih|libjson-c'; then bad "the module links the libraries above dynamically"; else ok; fi

mkdir -p "$TMP/library"
cp "$MOD" "$TMP/library/reclaim_advisor"
cp contrib/ansible/library/reclaim_advisor.yml "$TMP/library/"
ROOT=$TMP/root
cp -r fixtures/qemu/6.1-2g-mfk131072-wsf50/after "$ROOT"
mkdir -p "$ROOT/etc/sysctl.d"
FRAG=$ROOT/etc/sysctl.d/60-reclaim-advisor.conf
REPORT=$ROOT/var/lib/reclaim-advisor/report.json
for k in swappiness watermark_scale_factor min_free_kbytes; do cat "$ROOT/proc/sys/vm/$k"; done > "$TMP/before"

ansible_env "$TMP/home"
export ANSIBLE_LIBRARY=$TMP/library ANSIBLE_ROLES_PATH=$REPO/contrib/ansible/roles ANSIBLE_OUT=$TMP/out

play_file() { # STATE PROFILE
	cat <<EOF
---
- hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: reclaim_advisor
      vars:
        reclaim_advisor_state: $1
        reclaim_advisor_profile: $2
        reclaim_advisor_root: "$ROOT"
        reclaim_advisor_apply: true
        reclaim_advisor_page_size: 4096
        reclaim_advisor_data_dir: "$TMP/data"
        reclaim_advisor_pins:
          vm.swappiness: 30
        reclaim_advisor_environment:
          RECLAIM_ADVISOR_SYSCONFDIR: "$TMP/sysconf"
EOF
}
play_file recommend general > "$TMP/play.yml"
play_file absent general > "$TMP/absent.yml"
play_file recommend generall > "$TMP/typo.yml"

# The plays run in a mount namespace where the libraries are /dev/null and
# no installed data is left to fall back on; the CLI binary, linked against
# them, must then fail to start.
cat >"$TMP/ns.sh" <<EOF
set -e
for l in /usr/lib/*/libinih.so* /usr/lib/*/libjson-c.so*; do
	[ -e "\$l" ] && mount --bind /dev/null "\$(readlink -f "\$l")"
done
for d in /usr/local/share/reclaim-advisor /usr/share/reclaim-advisor; do
	[ -d "\$d" ] && mount --bind "$TMP/home" "\$d"
done
if "$BIN" --version >/dev/null 2>&1; then echo "LIBS STILL THERE"; exit 99; fi
exec ansible-playbook -i localhost, "\$@"
EOF
play() { unshare -m --propagation private bash "$TMP/ns.sh" "$@" >"$TMP/out" 2>&1; }

# 1. check mode + diff on a target without the data: changed, diff, nothing written
if play "$TMP/play.yml" --check --diff; then ok; else bad "check mode run"; show; fi
grep -q 'LIBS STILL THERE' "$TMP/out" && bad "the libraries were not hidden"
recap | grep -q 'changed=[1-9]' && ok || { bad "check mode: not changed"; show; }
grep -q '^+vm.swappiness = 30' "$TMP/out" && ok || { bad "diff: no +vm.swappiness = 30 (the pin)"; show; }
[ ! -e "$FRAG" ] && ok || bad "check mode wrote $FRAG"
[ "$(cat "$ROOT/proc/sys/vm/swappiness")" = 60 ] && ok || bad "check mode applied values"

# 2. apply: fragment with the pin, live values, the report with the previous values
if play "$TMP/play.yml"; then ok; else bad "apply run"; show; fi
recap | grep -q 'changed=[1-9]' && ok || { bad "apply: not changed"; show; }
grep -q '^vm.swappiness = 30$' "$FRAG" 2>/dev/null && ok || { bad "pinned value not in the fragment"; show; }
[ "$(cat "$ROOT/proc/sys/vm/swappiness")" = 30 ] && ok || bad "swappiness not applied"
python3 - "$REPORT" <<'PY' && ok || bad "report lacks the previous swappiness"
import json, sys
d = json.load(open(sys.argv[1]))
assert any(e["sysctl"] == "vm.swappiness" and e["previous"] == "60" for e in d["apply"]), d.get("apply")
PY
cp "$FRAG" "$TMP/frag.1"

# 3. rerun: ok
if play "$TMP/play.yml" --diff; then ok; else bad "rerun"; show; fi
recap | grep -q 'changed=0' && ok || { bad "rerun: changed"; show; }
cmp -s "$FRAG" "$TMP/frag.1" && ok || bad "rerun rewrote the fragment"

# 4. absent in check mode: changed, nothing removed
if play "$TMP/absent.yml" --check --diff; then ok; else bad "absent check"; show; fi
recap | grep -q 'changed=[1-9]' && ok || { bad "absent check: not changed"; show; }
[ -e "$FRAG" ] && [ -e "$REPORT" ] && ok || bad "absent in check mode removed files"
grep -q '^-vm.swappiness = 30' "$TMP/out" && ok || { bad "absent diff: no -vm.swappiness line"; show; }

# 5. absent: fragment and report gone, every live value as before the first apply
if play "$TMP/absent.yml"; then ok; else bad "absent"; show; fi
recap | grep -q 'changed=[1-9]' && ok || { bad "absent: not changed"; show; }
[ ! -e "$FRAG" ] && [ ! -e "$REPORT" ] && ok || bad "absent left the fragment or the report"
for k in swappiness watermark_scale_factor min_free_kbytes; do cat "$ROOT/proc/sys/vm/$k"; done > "$TMP/after"
# the kernel's own min_free_kbytes on the guest (THP floor), as the model computes it
KDEF=$("$BIN" explain vm.min_free_kbytes --root "$ROOT" | awk '$1 == "default" { print $2 }')
sed "3s/.*/$KDEF/" "$TMP/before" > "$TMP/want"
cmp -s "$TMP/want" "$TMP/after" && ok || { bad "live values not restored"; diff "$TMP/want" "$TMP/after"; }
[ "$(sed -n 3p "$TMP/before")" = 131072 ] && [ "$KDEF" != 131072 ] && ok || bad "the capture's min_free_kbytes changed"
tr -s '\n ' '  ' <"$TMP/out" | grep -q "vm.min_free_kbytes: the previous value 131072 is outside the safety bound" && ok ||
	{ bad "absent: no warning about min_free_kbytes 131072"; show; }

# 6. absent again: ok
if play "$TMP/absent.yml"; then ok; else bad "absent rerun"; show; fi
recap | grep -q 'changed=0' && ok || { bad "absent rerun: changed"; show; }

# 7. a misspelt profile: the task fails with the tool's message
if play "$TMP/typo.yml"; then bad "a misspelt profile did not fail"; else ok; fi
grep -q 'generall' "$TMP/out" && ! grep -q 'see stderr' "$TMP/out" && ok || { bad "msg is not the tool's"; show; }

# 8. documentation: ansible-doc shows it; the module, its docs and the role's specs agree
ansible-doc -M "$TMP/library" reclaim_advisor >"$TMP/doc" 2>&1 && grep -q 'state=absent' "$TMP/doc" && ok ||
	{ bad "ansible-doc reclaim_advisor"; sed 's/^/    /' "$TMP/doc" | head; }
printf '{"nosuch": 1}' > "$TMP/args.json"
params=$("$TMP/library/reclaim_advisor" "$TMP/args.json" 2>/dev/null | python3 -c '
import json, re, sys
m = json.load(sys.stdin)["msg"]
print(re.search(r"supported: (.*)\)", m).group(1).replace(",", ""))')
[ -n "$params" ] && ok || bad "no parameter list in the module's message"
ansible-doc -M "$TMP/library" --json reclaim_advisor > "$TMP/doc.json" 2>/dev/null
for p in $params; do
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(sys.argv[2] not in d["reclaim_advisor"]["doc"]["options"])' \
		"$TMP/doc.json" "$p" && ok || bad "module parameter $p is not in library/reclaim_advisor.yml"
done
python3 - contrib/ansible/roles/reclaim_advisor <<'PY' && ok || bad "defaults/main.yml and meta/argument_specs.yml differ"
import sys, yaml
role = sys.argv[1]
defaults = set(yaml.safe_load(open(role + "/defaults/main.yml")))
specs = set(yaml.safe_load(open(role + "/meta/argument_specs.yml"))["argument_specs"]["main"]["options"])
if defaults != specs:
    print("only in defaults:", defaults - specs, "only in specs:", specs - defaults)
    sys.exit(1)
PY

echo "ansible role e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
