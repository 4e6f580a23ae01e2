#pragma once
/// \file
/// An owned copy of a record: its bytes, then its strings' bytes, the
/// copy's srt_str fields pointing at them (nested records' strings too).
/// What stateful stages keep of a record (top's rows, frames' records).

#include "srt/types.h"

#include <cstdint>
#include <memory>

using OwnedRecord = std::unique_ptr<uint8_t[]>;

OwnedRecord copyRecord(const srt_layout &layout, const void *record);
