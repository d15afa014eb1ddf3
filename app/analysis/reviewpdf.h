#pragma once

#include "models/reviewdoc.h"

#include <QByteArray>

namespace kp {

// The review as a PDF (A4 landscape, the HTML export laid out), in memory. Lays out text, so it needs a
// QGuiApplication and its thread: the Review page, or the command line's `review export --as pdf`, which starts an
// offscreen one.
QByteArray reviewPdf(const ReviewDocument &doc, int64_t nowMs);

} // namespace kp
