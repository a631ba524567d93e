"""Maps perf sample addresses onto the basic blocks of the JIT's Tier1 listings (see waf-hotspots.sh).

A listing (DOTNET_JitDisasm) gives each block's offset and the body's size; the perf map (DOTNET_PerfMapEnabled)
gives where each compiled body starts and its size. A body is matched to its listing by name and size.
"""
import collections
import re
import sys

disasm_path, map_path, ips_path = sys.argv[1:4]
listings = []
for section in open(disasm_path, encoding="utf-8", errors="replace").read().split("; Assembly listing for method ")[1:]:
    header = section[:800]
    size = re.search(r"; Total bytes of code (\d+)", section)
    if "Tier1" not in header or not size:
        continue
    name = section.split("\n", 1)[0]
    blocks = []
    lines = section.split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"(G_M\w+):\s+;; offset=0x([0-9A-F]+)", line)
        if m:
            body = []
            for following in lines[i + 1:]:
                if following.startswith("G_M") or len(body) >= 10:
                    break
                if following.strip() and not following.strip().startswith(";"):
                    body.append(" ".join(following.split()))
            blocks.append((int(m.group(2), 16), m.group(1), body))
    listings.append((name, int(size.group(1)), blocks))

bodies = []
for line in open(map_path, encoding="utf-8", errors="replace"):
    parts = line.split(" ", 2)
    if len(parts) == 3 and "OptimizedTier1" in parts[2]:
        bodies.append((int(parts[0], 16), int(parts[1], 16), parts[2].strip()))

ips = [int(line.strip(), 16) for line in open(ips_path) if line.strip()]
total = len(ips)
for name, size, blocks in listings:
    short = name.split("(")[0].split(":")[-1]
    starts = [start for start, length, text in bodies if length == size and f"::{short}(" in text]
    if not starts or not blocks:
        continue
    start = starts[-1]
    counts = collections.Counter()
    for ip in ips:
        if start <= ip < start + size:
            offset = ip - start
            block = max((b for b in blocks if b[0] <= offset), key=lambda b: b[0])
            counts[block[1]] += 1
    inside = sum(counts.values())
    if inside == 0:
        continue
    print(f"\n{name[:160]}\n  {inside} of {total} samples ({100 * inside / total:.1f} %) in this body, {size} bytes")
    by_name = {b[1]: b for b in blocks}
    for label, n in counts.most_common(20):
        offset, _, body = by_name[label]
        print(f"  {100 * n / inside:5.1f} %  {label} +0x{offset:x}: {' ; '.join(body)[:260]}")
