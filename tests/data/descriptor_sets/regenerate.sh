#!/usr/bin/env bash
# Rebuilds the descriptor sets that tests/descriptor_sets.rs reads, with buf
# 1.75 (`npm install @bufbuild/buf@1.75.0`; pass its path as $BUF). The sets
# made by protoc are built by the tests themselves.
set -euo pipefail
cd "$(dirname "$0")/../../.."
BUF="${BUF:-buf}"
src=fixtures/editions_migration_proto3/new_2023
out=tests/data/descriptor_sets
# A buf image: imports included and marked as such, source info kept.
"$BUF" build "$src" -o "$out/buf_image.binpb"
# A plain FileDescriptorSet without source info (imports included, unmarked).
"$BUF" build "$src" --as-file-descriptor-set --exclude-source-info -o "$out/buf_no_source_info.binpb"
