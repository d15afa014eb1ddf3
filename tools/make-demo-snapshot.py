#!/usr/bin/env python3
"""Writes resources/demo.kpsnap.json: a realistic 3-AZ cluster for the app to show with no cluster at all.

Six brokers, two per AZ; a few hundred partitions over ML-pipeline-like topics; consumer groups with some lag;
exactly one partition whose replicas share a rack (a rack-awareness violation) and one under-replicated partition.
Deterministic: the same file every run."""
import json
import random
import sys

rng = random.Random(20261126)
RACKS = ["us-east-1a", "us-east-1b", "us-east-1c"]
brokers = []
for i in range(6):
    rack = RACKS[i % 3]
    brokers.append({"id": i + 1, "host": f"kafka-{i + 1}.prod.internal", "port": 9092, "rack": rack,
                    "configs": {"broker.rack": rack, "default.replication.factor": "3", "min.insync.replicas": "2",
                                "unclean.leader.election.enable": "false", "replica.selector.class": "",
                                "remote.log.storage.system.enable": "false"},
                    "logDirs": [{"path": f"/var/lib/kafka/data-{d}", "totalBytes": 4 * 1024**4, "usableBytes": 0}
                                for d in (1, 2)]})

TOPICS = [  # name, partitions, rf, retention.ms, cleanup, min.isr, rate (msgs/partition)
    ("clickstream.raw", 96, 3, 3 * 86400000, "delete", "2", 2_000_000),
    ("clickstream.sessionized", 48, 3, 7 * 86400000, "delete", "2", 800_000),
    ("features.user-embeddings", 32, 3, -1, "compact", "2", 150_000),
    ("features.item-stats", 24, 3, -1, "compact", "2", 90_000),
    ("training.samples.v7", 64, 3, 30 * 86400000, "delete", "2", 1_200_000),
    ("training.labels", 16, 3, 30 * 86400000, "delete", "2", 300_000),
    ("dq.gate-results", 6, 3, 14 * 86400000, "delete", "2", 5_000),
    ("orders", 24, 3, 7 * 86400000, "delete", "2", 400_000),
    ("payments", 12, 3, 7 * 86400000, "delete", "2", 120_000),
    ("inventory.cdc", 12, 3, 3 * 86400000, "delete", "1", 250_000),
    ("search.queries", 32, 2, 86400000, "delete", "1", 1_500_000),
    ("model.predictions", 24, 3, 2 * 86400000, "delete", "2", 900_000),
    ("audit.log", 3, 3, 90 * 86400000, "delete", "2", 40_000),
    ("backfill.tmp", 8, 1, 86400000, "delete", "1", 500_000),
]

RECORD_BYTES = {"clickstream.raw": 620, "clickstream.sessionized": 1400, "features.user-embeddings": 3100,
                "features.item-stats": 800, "training.samples.v7": 4200, "training.labels": 180, "dq.gate-results": 350,
                "orders": 900, "payments": 700, "inventory.cdc": 1100, "search.queries": 300,
                "model.predictions": 260, "audit.log": 500, "backfill.tmp": 4200}
topics = []
placement = {}
for ti, (name, parts, rf, retention, cleanup, misr, rate) in enumerate(TOPICS):
    partitions = []
    for p in range(parts):
        # Rack-aware round robin: consecutive replicas in different racks.
        start = (ti * 7 + p) % 6
        replicas = [((start + k * 1) % 6) + 1 for k in range(rf)]
        isr = list(replicas)
        low = rng.randrange(0, rate // 4) if cleanup == "delete" else 0
        high = low + rate + rng.randrange(0, rate // 5 + 1)
        # Sizes on disk: the retained messages at the topic's average record size; followers hold the same bytes.
        size = (high - low) * RECORD_BYTES.get(name, 900)
        sizes = [{"broker": r, "dir": f"/var/lib/kafka/data-{1 + (p % 2)}", "bytes": size, "lag": 0} for r in sorted(replicas)]
        partitions.append({"p": p, "leader": replicas[0], "replicas": replicas, "isr": isr, "low": low, "high": high,
                           "sizes": sizes})
        placement[(name, p)] = high
    topics.append({"name": name, "internal": False, "partitions": partitions,
                   "configs": {"retention.ms": str(retention), "retention.bytes": "-1", "cleanup.policy": cleanup,
                               "min.insync.replicas": misr, "segment.bytes": "1073741824",
                               "compression.type": "producer", "local.retention.ms": "-2",
                               "local.retention.bytes": "-2", "remote.storage.enable": "false"}})

# The one rack violation: payments-5 has replicas on brokers 1 and 4, both us-east-1a.
pay = next(t for t in topics if t["name"] == "payments")
pay["partitions"][5]["replicas"] = [1, 4, 2]
pay["partitions"][5]["isr"] = [1, 4, 2]
pay["partitions"][5]["leader"] = 1
# One under-replicated partition: broker 6 fell out of the ISR of training.samples.v7-17.
ts = next(t for t in topics if t["name"] == "training.samples.v7")
urp = ts["partitions"][17]
urp["isr"] = [r for r in urp["replicas"] if r != 6] or urp["replicas"][:1]
if urp["isr"] == urp["replicas"]:
    urp["replicas"] = urp["replicas"][:2] + [6]
    urp["isr"] = urp["replicas"][:2]

offsets_parts = []
for p in range(50):
    r = [((p + k) % 6) + 1 for k in range(3)]
    high = rng.randrange(1000, 90000)
    offsets_parts.append({"p": p, "leader": r[0], "replicas": r, "isr": r, "low": 0, "high": high,
                          "sizes": [{"broker": b, "dir": "/var/lib/kafka/data-1", "bytes": high * 120, "lag": 0}
                                    for b in sorted(r)]})
topics.append({"name": "__consumer_offsets", "internal": True, "partitions": offsets_parts,
               "configs": {"cleanup.policy": "compact", "retention.ms": "604800000", "min.insync.replicas": "2",
                           "segment.bytes": "104857600", "compression.type": "producer", "retention.bytes": "-1",
                           "local.retention.ms": "-2", "local.retention.bytes": "-2", "remote.storage.enable": "false"}})

GROUPS = [  # id, topic, state, members, lag fraction per partition
    ("sessionizer", "clickstream.raw", "Stable", 6, 0.0005),
    ("feature-builder", "clickstream.sessionized", "Stable", 4, 0.002),
    ("trainer-v7-refresh", "training.samples.v7", "Stable", 8, 0.35),
    ("label-joiner", "training.labels", "Stable", 2, 0.01),
    ("dq-gate", "dq.gate-results", "Stable", 1, 0.0),
    ("orders-to-warehouse", "orders", "Stable", 3, 0.001),
    ("payments-audit", "payments", "Empty", 0, 0.2),
    ("search-indexer", "search.queries", "PreparingRebalance", 5, 0.05),
    ("backfill-2026-10", "backfill.tmp", "Empty", 0, 0.6),
]
groups = []
for gid, topic, state, members, frac in GROUPS:
    t = next(t for t in topics if t["name"] == topic)
    offs = []
    for part in t["partitions"]:
        span = part["high"] - part["low"]
        lag = int(span * frac * rng.uniform(0.5, 1.5))
        offs.append({"topic": topic, "partition": part["p"], "committed": part["high"] - lag, "lag": lag})
    mems = []
    for m in range(members):
        assigned = [{"topic": topic, "partition": part["p"]} for part in t["partitions"] if part["p"] % members == m]
        mems.append({"memberId": f"{gid}-{m}-5d1c9e", "clientId": f"{gid}-{m}",
                     "host": f"/10.0.{m % 3}.{20 + m}", "assignment": assigned})
    groups.append({"id": gid, "state": state, "simple": False, "protocol": "range" if members else "",
                   "coordinator": (len(groups) % 6) + 1, "offsetsKnown": True, "members": mems, "offsets": offs})

# The edits above changed some replica sets: sizes follow the replicas.
for t in topics:
    for part in t["partitions"]:
        size, dirname = part["sizes"][0]["bytes"], part["sizes"][0]["dir"]
        part["sizes"] = [{"broker": r, "dir": dirname, "bytes": size, "lag": 0} for r in sorted(part["replicas"])]

# Usable space per log dir: what the replicas on it leave of 4 TiB.
used = {}
for t in topics:
    for part in t["partitions"]:
        for r in part["sizes"]:
            used[(r["broker"], r["dir"])] = used.get((r["broker"], r["dir"]), 0) + r["bytes"]
for b in brokers:
    for d in b["logDirs"]:
        d["usableBytes"] = d["totalBytes"] - used.get((b["id"], d["path"]), 0)

snapshot = {
    "format": "kafka-planner-snapshot", "version": 2, "clusterId": "demo-ml-refresh-prod", "bootstrap": "kafka-1.prod.internal:9092",
    "takenAt": "2026-11-20T09:30:00.000Z", "takenAtMs": 1795685400000, "durationMs": 412,
    "brokers": brokers, "topics": sorted(topics, key=lambda t: t["name"]), "groups": groups,
    "timings": [{"step": s, "ms": ms, "ok": True} for s, ms in
                [("Connecting", 18), ("Metadata", 22), ("Broker configs", 41), ("Topic configs", 63),
                 ("Watermarks", 118), ("Log dirs", 71), ("Consumer groups", 57), ("Group offsets", 93)]],
    "problems": [],
}
out = sys.argv[1] if len(sys.argv) > 1 else "resources/demo.kpsnap.json"
with open(out, "w") as f:
    json.dump(snapshot, f, indent=1)
    f.write("\n")
print(f"wrote {out}: {sum(len(t['partitions']) for t in topics)} partitions, {len(groups)} groups")
