#pragma once

#include <QLocale>
#include <qcustomplot.h>

namespace kp::ui {

// Puts the plot's legend in a row of its own below the axes, `perRow` entries to a row, without a frame: inside the
// axes it covered the lines and bars it names (a flat lag at the top, the dearest architecture).
inline void legendBelow(QCustomPlot *plot, int perRow)
{
    plot->legend->setVisible(true);
    plot->plotLayout()->addElement(1, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(1, 0.001);
    plot->legend->setWrap(perRow);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true); // rearranges entries already there
    plot->legend->setMargins(QMargins(4, 2, 4, 2));
    plot->legend->setBorderPen(Qt::NoPen);
}

// Whole numbers on `axis`, written as the user's locale writes them, as the pages' tables do. QCustomPlot's own locale
// leaves out the digit grouping (30000000 under a table's 30,000,000); the locale is the plot's, for all its axes.
inline void wholeNumbers(QCPAxis *axis)
{
    axis->setNumberFormat(QStringLiteral("f"));
    axis->setNumberPrecision(0);
    axis->parentPlot()->setLocale(QLocale());
}

} // namespace kp::ui
