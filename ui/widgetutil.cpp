#include "ui/widgetutil.h"

#include "models/units.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QMessageBox>
#include <QSaveFile>

namespace kp::ui {

void setBytes(QTreeWidgetItem *item, int column, int64_t v, bool estimated)
{
    item->setText(column, (estimated ? QStringLiteral("~") : QString()) + qs(formatBytes(v)));
    item->setData(column, Qt::UserRole, QVariant::fromValue<qlonglong>(v));
    item->setToolTip(column, estimated ? QCoreApplication::translate("kp", "About %L1 bytes, estimated from offsets "
                                                                           "and sampled record batches "
                                                                           "(DescribeLogDirs was not allowed)")
                                             .arg(qlonglong(v))
                                       : QCoreApplication::translate("kp", "%L1 bytes").arg(qlonglong(v)));
    item->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
}

QString csvField(const QString &v)
{
    if (!v.contains(QLatin1Char(',')) && !v.contains(QLatin1Char('"')) && !v.contains(QLatin1Char('\n')))
        return v;
    return QLatin1Char('"') + QString(v).replace(QStringLiteral("\""), QStringLiteral("\"\"")) + QLatin1Char('"');
}

QString wrapWords(const QString &text, int maxChars)
{
    const qsizetype paren = text.indexOf(QLatin1Char('('));
    QStringList lines;
    QString line;
    for (const QString &word : (paren >= 0 ? text.left(paren) : text).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && line.size() + 1 + word.size() > maxChars) {
            lines << line;
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    if (!line.isEmpty())
        lines << line;
    if (paren >= 0)
        lines << text.mid(paren).trimmed();
    return lines.join(QLatin1Char('\n'));
}

QTreeWidget *makeTree(QWidget *parent, const QString &objectName, const QStringList &headers)
{
    auto *t = new QTreeWidget(parent);
    setUpTree(t, objectName, headers);
    return t;
}

void setUpTree(QTreeWidget *t, const QString &objectName, const QStringList &headers)
{
    t->setObjectName(objectName);
    t->setHeaderLabels(headers);
    t->setRootIsDecorated(false);
    t->setUniformRowHeights(true);
    t->setSortingEnabled(true);
    t->sortByColumn(0, Qt::AscendingOrder);
    t->setAlternatingRowColors(true);
    t->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Columns fit the rows in view and the next ones, 100 in all, not Qt's 1,000: every sample's update measured 1,000
    // rows' text in each column on the GUI thread (30% of its time on 507 topics: tests/bench/stall-bench.sh).
    t->header()->setResizeContentsPrecision(100);
}

QColor toneColor(Tone tone)
{
    switch (tone) {
    case Tone::Good:
        return QColor(0x1b, 0x7f, 0x3a);
    case Tone::Warning:
        return QColor(0xa8, 0x6b, 0x00);
    case Tone::Bad:
        return QColor(0xb3, 0x26, 0x1e);
    case Tone::Neutral:
        break;
    }
    return QColor(0x66, 0x66, 0x66);
}

QLabel *makeErrorLabel(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #b3261e;"));
    label->hide();
    return label;
}

bool showError(QLabel *label, const QString &message)
{
    label->setText(message);
    label->setVisible(!message.isEmpty());
    return !message.isEmpty();
}

QString shownError(const QLabel *label)
{
    return label->isHidden() ? QString() : label->text();
}

QString writeWholeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        return f.errorString();
    return QString();
}

namespace {

// done(error) with the path named in the error.
std::function<void(QString)> namingThePath(const QString &path, std::function<void(QString)> done)
{
    return [path, done = std::move(done)](const QString &error) {
        done(error.isEmpty() ? QString() : QStringLiteral("%1: %2").arg(path, error));
    };
}

} // namespace

void saveInBackground(QObject *owner, const QString &path, QByteArray bytes, std::function<void(QString)> done)
{
    runAsync(
        owner, [path, bytes = std::move(bytes)] { return writeWholeFile(path, bytes); },
        namingThePath(path, std::move(done)));
}

std::function<void(QString)> warnIfFailed(QWidget *parent, const QString &title)
{
    return [parent, title](const QString &error) {
        if (!error.isEmpty())
            QMessageBox::warning(parent, title, error);
    };
}

void saveImageInBackground(QObject *owner, const QString &path, QImage image, std::function<void(QString)> done)
{
    runAsync(
        owner,
        [path, image = std::move(image)] {
            QByteArray bytes;
            QBuffer buffer(&bytes);
            if (!buffer.open(QIODevice::WriteOnly) || !image.save(&buffer, "PNG"))
                return QCoreApplication::translate("kp", "the image could not be encoded as PNG");
            return writeWholeFile(path, bytes);
        },
        namingThePath(path, std::move(done)));
}

} // namespace kp::ui
