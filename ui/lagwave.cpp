#include "ui/lagwave.h"

#include "models/qtstrings.h"
#include "models/units.h"

#include <QDateTime>
#include <QLocale>
#include <qcustomplot.h>

namespace kp {

namespace {

QString clock(int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss"));
}

QString duration(double seconds)
{
    const auto s = int64_t(seconds + 0.5);
    return s < 120 ? QObject::tr("%1 s").arg(s) : QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
}

QString progress(const RefreshWave &w)
{
    const QLocale l;
    QString text = QObject::tr("%1 messages replayed").arg(l.toString(qlonglong(w.replayedMessages)));
    if (w.replayedBytes >= 0)
        text += QStringLiteral(" (%1)").arg(qs(formatBytes(w.replayedBytes)));
    text += QObject::tr(" at %1 msg/s against %2 msg/s produced")
                .arg(l.toString(w.consumePerSecond, 'f', 0), l.toString(w.producePerSecond, 'f', 0));
    if (w.caughtUpMs)
        return text +
               QObject::tr("; caught up at %1, after %2").arg(clock(*w.caughtUpMs), duration(*w.secondsToCatchUp));
    if (w.stopped)
        return text + QObject::tr("; %1 behind, stopped reading at %2")
                          .arg(l.toString(qlonglong(w.lagNow)), clock(w.lastReadMs.value_or(w.nowMs)));
    if (w.secondsToCatchUp)
        return text + QObject::tr("; %1 behind, caught up in about %2 at this pace")
                          .arg(l.toString(qlonglong(w.lagNow)),
                               duration(*w.secondsToCatchUp - double(w.nowMs - w.startMs) / 1000.0));
    return text + QObject::tr("; %1 behind and not gaining").arg(l.toString(qlonglong(w.lagNow)));
}

QString effects(const std::vector<WaveEffect> &list)
{
    if (list.empty())
        return QObject::tr("No other group with a history reads its topics.");
    QStringList parts;
    const QLocale l;
    for (const auto &e : list)
        parts << QObject::tr("%1 %2 → peak %3 → %4")
                     .arg(qs(e.group),
                          e.lagBefore < 0 ? QObject::tr("(none before)") : l.toString(qlonglong(e.lagBefore)),
                          l.toString(qlonglong(e.peakLag)), l.toString(qlonglong(e.lagNow)));
    return QObject::tr("Other groups' lag (before → peak during → now): %1.").arg(parts.join(QStringLiteral("; ")));
}

} // namespace

QString waveSummary(const LagData &data)
{
    if (!data.wave)
        return {};
    const RefreshWave &w = *data.wave;
    const QString kind = w.kind == RefreshWave::Kind::Rewind
                             ? QObject::tr("rewound %1 messages").arg(QLocale().toString(qlonglong(w.rewoundMessages)))
                             : QObject::tr("a new group %1 behind").arg(QLocale().toString(qlonglong(w.startLag)));
    const QString crossAz =
        data.waveCrossAz.known
            ? QObject::tr("Cross-AZ: %1 (%2).")
                  .arg(qs(formatBytes(int64_t(data.waveCrossAz.bytes))), qs(data.waveCrossAz.assumption))
            : QObject::tr("Cross-AZ bytes unknown: %1.").arg(qs(data.waveCrossAz.assumption));
    return QObject::tr("<b>Refresh wave</b> from %1 (%2): %3. %4 %5")
        .arg(clock(w.startMs), kind, progress(w).toHtmlEscaped(), crossAz.toHtmlEscaped(),
             effects(data.waveEffects).toHtmlEscaped());
}

WaveMarks::WaveMarks(QCustomPlot *plot)
{
    m_band = new QCPItemRect(plot);
    m_band->setPen(Qt::NoPen);
    m_band->setBrush(QColor(0x2e, 0x8b, 0x57, 40));
    m_band->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_band->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_band->setLayer(QStringLiteral("background"));
    m_label = new QCPItemText(plot);
    m_label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_label->setColor(QColor(0x2e, 0x6b, 0x47));
    m_label->setText(QObject::tr("refresh wave"));
    show(nullptr);
}

void WaveMarks::show(const RefreshWave *wave)
{
    m_band->setVisible(wave != nullptr);
    m_label->setVisible(wave != nullptr);
    if (!wave)
        return;
    const double from = double(wave->startMs) / 1000.0;
    const double to = double(wave->caughtUpMs.value_or(wave->nowMs)) / 1000.0;
    m_band->topLeft->setCoords(from, 0);
    m_band->bottomRight->setCoords(std::max(to, from + 1), 1);
    m_label->position->setCoords(from, 0.02);
}

bool WaveMarks::visible() const
{
    return m_band->visible();
}

} // namespace kp
