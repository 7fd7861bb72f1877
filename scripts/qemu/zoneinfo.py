#!/usr/bin/env python3
"""Small /proc/zoneinfo reader for the QEMU capture fixtures (no advisor code).

  zoneinfo.py table ZONEINFO          one line per zone: node zone min low high promo boost managed
  zoneinfo.py layout CASE_DIR         markdown table of the memory layout (for SOURCE.md)
  zoneinfo.py verify CASE_DIR         recompute CASE/after's watermarks from CASE/before's
                                      managed pages and the sysctls read from CASE/after
                                      (kernel-reclaim.md section 2.1); exit 1 on any mismatch
  zoneinfo.py before CASE_DIR         informational: where CASE/before's min_free_kbytes comes
                                      from (sqrt default, THP floor) and how far its printed
                                      watermarks are from a recomputation with today's managed
                                      (boot-time drift, kernel-reclaim.md section 2.4)

The arithmetic mirrors __setup_per_zone_wmarks() (mm/page_alloc.c, 6.1 and 6.12):
  pages_min = min_free_kbytes >> (PAGE_SHIFT - 10)
  lowmem    = sum of managed over every lowmem zone of every node
              (HighMem never counts; Movable does not count from ~6.2 on)
  share     = pages_min * managed // lowmem
  min       = share, or clamp(managed // 1024, 32, 128) for HighMem (and Movable from ~6.2)
  delta     = max(share >> 2, managed * wsf // 10000)
  low = min + delta, high = low + delta, promo = high + delta
It is an independent hand check of the fixtures, not the model under test.
"""
import math
import os
import re
import sys


def parse(path):
    """Zones in file order: dicts with node, zone and every "key value" line
    of the zone's block (min, low, high, promo, boost, spanned, present,
    managed, ...).  Keys absent from the file are absent from the dict."""
    zones = []
    cur = None
    with open(path) as f:
        for line in f:
            m = re.match(r'^Node (\d+), zone\s+(\S+)', line)
            if m:
                cur = {'node': int(m.group(1)), 'zone': m.group(2)}
                zones.append(cur)
                continue
            if cur is None:
                continue
            m = re.match(r'^\s+(pages free|min|low|high|promo|boost|spanned|present|managed|cma)\s+(\d+)\s*$',
                         line)
            if m:
                key = 'free' if m.group(1) == 'pages free' else m.group(1)
                # The per-zone block repeats no key before "pagesets"; keep the first.
                cur.setdefault(key, int(m.group(2)))
    return zones


def read_int(path):
    with open(path) as f:
        return int(f.read().split()[0])


def page_size(root):
    try:
        with open(os.path.join(root, 'proc/self/smaps')) as f:
            for line in f:
                if line.startswith('KernelPageSize:'):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 4096


def kernel_version(root):
    with open(os.path.join(root, 'proc/sys/kernel/osrelease')) as f:
        rel = f.read().strip()
    m = re.match(r'(\d+)\.(\d+)', rel)
    return rel, (int(m.group(1)), int(m.group(2)))


def predict(zones, min_free_kbytes, wsf, psize, version):
    """Watermarks the kernel computes for these zones' managed pages."""
    shift = psize.bit_length() - 1
    pages_min = min_free_kbytes >> (shift - 10)
    movable_like_highmem = version >= (6, 2)

    def clamped(z):
        return z['zone'] == 'HighMem' or (movable_like_highmem and z['zone'] == 'Movable')

    lowmem = sum(z['managed'] for z in zones if not clamped(z))
    out = []
    for z in zones:
        share = pages_min * z['managed'] // lowmem if lowmem else 0
        if clamped(z):
            wmin = min(max(z['managed'] // 1024, 32), 128)
        else:
            wmin = share
        gap4 = share >> 2
        gapw = z['managed'] * wsf // 10000
        delta = max(gap4, gapw)
        branch = 'min/4' if gap4 >= gapw else 'wsf'
        if z['managed'] == 0:
            branch = 'empty'
        out.append({'node': z['node'], 'zone': z['zone'], 'managed': z['managed'],
                    'share': share, 'gap4': gap4, 'gapw': gapw, 'branch': branch,
                    'min': wmin, 'low': wmin + delta, 'high': wmin + 2 * delta,
                    'promo': wmin + 3 * delta})
    return out, pages_min, lowmem


def cmd_table(path):
    for z in parse(path):
        print(z['node'], z['zone'], *(z.get(k, '-') for k in
                                       ('min', 'low', 'high', 'promo', 'boost', 'managed')))
    return 0


def cmd_layout(case):
    zb = parse(os.path.join(case, 'before/proc/zoneinfo'))
    print('| node | zone | spanned | present | managed (pages) | managed (MiB) |')
    print('|---|---|---|---|---|---|')
    for z in zb:
        mib = z.get('managed', 0) * page_size(os.path.join(case, 'before')) / 2**20
        print(f"| {z['node']} | {z['zone']} | {z.get('spanned', '-')} | {z.get('present', '-')} "
              f"| {z.get('managed', '-')} | {mib:.1f} |")
    return 0


def cmd_verify(case):
    before = os.path.join(case, 'before')
    after = os.path.join(case, 'after')
    zb = parse(os.path.join(before, 'proc/zoneinfo'))
    za = parse(os.path.join(after, 'proc/zoneinfo'))
    mfk = read_int(os.path.join(after, 'proc/sys/vm/min_free_kbytes'))
    wsf = read_int(os.path.join(after, 'proc/sys/vm/watermark_scale_factor'))
    psize = page_size(before)
    rel, ver = kernel_version(before)
    pred, pages_min, lowmem = predict(zb, mfk, wsf, psize, ver)
    print(f'# {os.path.basename(os.path.normpath(case))}: kernel {rel}, page {psize}, '
          f'min_free_kbytes {mfk} (pages_min {pages_min}), wsf {wsf}, lowmem {lowmem}')
    print('# node zone managed share share>>2 managed*wsf/1e4 branch | predicted min/low/high/promo'
          ' | kernel after min/low/high/promo boost | ok')
    bad = 0
    if [(z['node'], z['zone']) for z in zb] != [(z['node'], z['zone']) for z in za]:
        print('zone lists differ between before and after')
        return 1
    for p, b, a in zip(pred, zb, za):
        ok = True
        if b.get('managed') != a.get('managed'):
            ok = False
            print(f"  managed changed between captures: {b.get('managed')} -> {a.get('managed')}")
        boost = a.get('boost', 0)
        got = [a['min'] - boost, a['low'] - boost, a['high'] - boost]
        want = [p['min'], p['low'], p['high']]
        if 'promo' in a:
            got.append(a['promo'] - boost)
            want.append(p['promo'])
        ok = ok and got == want
        bad += not ok
        print(f"{p['node']} {p['zone']:<8} {p['managed']:>7} {p['share']:>6} {p['gap4']:>6} {p['gapw']:>6} "
              f"{p['branch']:<6}| {'/'.join(map(str, want)):<24}| {'/'.join(map(str, got)):<24} {boost} "
              f"| {'ok' if ok else 'MISMATCH'}")
    return 1 if bad else 0


def late_frees(case):
    """Pages freed after the initcalls, per (node, zone), from guest/dmesg.txt
    ("Freeing ... memory: NK"; SMP alternatives are freed before the initcalls
    and do not count) placed by physical address: the initrd at dmesg's
    RAMDISK range, everything else in the kernel image (before/proc/iomem
    "Kernel code"; KASLR moves it from boot to boot).  None if unknown."""
    try:
        dmesg = open(os.path.join(case, 'guest/dmesg.txt')).read()
        iomem = open(os.path.join(case, 'before/proc/iomem')).read()
    except OSError:
        return None
    nodes = [(int(n), int(a, 16), int(b, 16)) for n, a, b in
             re.findall(r'Initmem setup node (\d+) \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\]', dmesg)]
    ramdisk = re.search(r'RAMDISK: \[mem 0x([0-9a-f]+)-', dmesg)
    kernel = re.search(r'^\s*([0-9a-f]+)-[0-9a-f]+ : Kernel code', iomem, re.M)
    if not nodes or not kernel:
        return None

    def where(addr):
        node = next((n for n, a, b in nodes if a <= addr <= b), 0)
        zone = 'DMA' if addr < 16 << 20 else 'DMA32' if addr < 4 << 30 else 'Normal'
        return node, zone

    out = {}
    for what, kb in re.findall(r'Freeing (.*?) memory: (\d+)K', dmesg):
        if 'alternatives' in what:
            continue
        addr = int(ramdisk.group(1), 16) if 'initrd' in what and ramdisk else int(kernel.group(1), 16)
        key = where(addr)
        out[key] = out.get(key, 0) + int(kb) * 1024
    return out


def cmd_before(case):
    """Rebuilds the boot-time computation of before/'s min_free_kbytes and
    watermarks: managed at the initcalls = before/'s managed minus the late
    frees; init_per_zone_wmark_min() takes the sqrt default and sets
    watermarks; THP's hugepage_init() then either raises min_free_kbytes to
    11 pageblocks per populated zone (capped at nr_free_buffer_pages() / 20)
    or, with THP never on 5.16+, recomputes the sqrt default; both read
    nr_free_buffer_pages() = sum of (managed - high) with the first pass's
    high watermarks already set."""
    before = os.path.join(case, 'before')
    zb = parse(os.path.join(before, 'proc/zoneinfo'))
    mfk = read_int(os.path.join(before, 'proc/sys/vm/min_free_kbytes'))
    wsf = read_int(os.path.join(before, 'proc/sys/vm/watermark_scale_factor'))
    psize = page_size(before)
    kb = psize // 1024
    rel, ver = kernel_version(before)
    try:
        with open(os.path.join(before, 'sys/kernel/mm/transparent_hugepage/enabled')) as f:
            thp = re.search(r'\[(\w+)\]', f.read()).group(1)
        pmd = read_int(os.path.join(before, 'sys/kernel/mm/transparent_hugepage/hpage_pmd_size'))
    except (OSError, AttributeError):
        thp, pmd = 'unknown', 2 << 20

    def sqrt_default(lowmem_pages):
        return min(max(math.isqrt(lowmem_pages * kb * 16), 128), 262144)

    def is_low(z):
        return z['zone'] in ('DMA', 'DMA32', 'Normal')

    print(f'# before: min_free_kbytes {mfk}, wsf {wsf}, THP {thp}')
    print(f"#   sqrt default from today's managed: {sqrt_default(sum(z['managed'] for z in zb if is_low(z)))} kB")
    frees = late_frees(case)
    boot = [dict(z) for z in zb]
    if frees is not None:
        for z in boot:
            z['managed'] -= frees.get((z['node'], z['zone']), 0) // psize
        shown = ', '.join(f'node{n} {zn} {b // psize}' for (n, zn), b in sorted(frees.items()))
        print(f'#   freed after the initcalls (guest/dmesg.txt, placed by address): {shown} pages')
        lowmem0 = sum(z['managed'] for z in boot if is_low(z))
        mfk0 = sqrt_default(lowmem0)
        w0, _, _ = predict(boot, mfk0, wsf, psize, ver)
        nfb = sum(max(z['managed'] - w['high'], 0) for z, w in zip(boot, w0) if is_low(z))
        print(f'#   boot: lowmem {lowmem0} pages -> sqrt default {mfk0} kB; '
              f'nr_free_buffer_pages() after that pass {nfb}')
        if thp in ('always', 'madvise'):
            nz = sum(1 for z in boot if is_low(z) and z.get('present', 0) > 0)
            rec = 11 * (pmd // psize) * nz
            mfk1 = max(mfk0, min(rec, nfb // 20) * kb)
            print(f'#   THP floor: min(11 x {pmd // psize} x {nz} zones = {rec}, {nfb} / 20 = {nfb // 20}) '
                  f'pages -> {min(rec, nfb // 20) * kb} kB; boot value {mfk1} kB')
        elif ver >= (5, 16):
            mfk1 = sqrt_default(nfb)
            print(f'#   THP off: hugepage_init recomputes the sqrt default from {nfb} pages -> {mfk1} kB')
        else:
            mfk1 = mfk0
        print(f"#   reconstructed boot min_free_kbytes {mfk1} kB: "
              f"{'equals' if mfk1 == mfk else 'DIFFERS from'} before/'s {mfk}")
        ref, _, _ = predict(boot, mfk, wsf, psize, ver)
        label = 'reconstructed at boot'
    else:
        print('#   no guest/dmesg.txt or before/proc/iomem: comparing with today\'s managed only')
        ref, _, _ = predict(zb, mfk, wsf, psize, ver)
        label = "from today's managed"
    now, _, _ = predict(zb, mfk, wsf, psize, ver)
    print(f"# node zone managed | printed min/low/high | {label} | printed - that | from today's managed")
    for p, q, z in zip(ref, now, zb):
        boost = z.get('boost', 0)
        printed = [z['min'] - boost, z['low'] - boost, z['high'] - boost]
        want = [p['min'], p['low'], p['high']]
        diff = [a - b for a, b in zip(printed, want)]
        print(f"{z['node']} {z['zone']:<8} {z['managed']:>7} | {'/'.join(map(str, printed)):<18}| "
              f"{'/'.join(map(str, want)):<18}| {'/'.join(map(str, diff)):<9}| "
              f"{q['min']}/{q['low']}/{q['high']}")
    return 0


def main(argv):
    cmds = {'table': cmd_table, 'layout': cmd_layout, 'verify': cmd_verify, 'before': cmd_before}
    if len(argv) != 3 or argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 64
    return cmds[argv[1]](argv[2])


if __name__ == '__main__':
    sys.exit(main(sys.argv))
