#pragma once

#include "models/qtstrings.h"
#include "ui/jobs.h"

#include <QColor>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QString>
#include <QTreeWidget>
#include <functional>
#include <string>
#include <type_traits>

// Small helpers the pages share: tree rows that sort by their raw value, numbers and byte sizes in cells.
namespace kp::ui {

// Sorts by the raw value in Qt::UserRole where a column shows formatted text (sizes).
class SortableItem : public QTreeWidgetItem
{
public:
    using QTreeWidgetItem::QTreeWidgetItem;
    bool operator<(const QTreeWidgetItem &other) const override
    {
        const int column = treeWidget() ? treeWidget()->sortColumn() : 0;
        const QVariant a = data(column, Qt::UserRole), b = other.data(column, Qt::UserRole);
        if (a.isValid() && b.isValid())
            return a.toLongLong() < b.toLongLong();
        return QTreeWidgetItem::operator<(other);
    }
};

// A count or an offset: digits grouped as the user's locale groups them (as the Lag page shows them), the raw value in
// Qt::UserRole for sorting (SortableItem) and for whoever reads the cell back.
inline void setNumber(QTreeWidgetItem *item, int column, qint64 v)
{
    item->setText(column, QLocale().toString(qlonglong(v)));
    item->setData(column, Qt::UserRole, QVariant::fromValue<qlonglong>(v));
    item->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
}

// An identifier (a broker id, a partition): its digits as Kafka's tools print them, sorted as a number.
inline void setId(QTreeWidgetItem *item, int column, qint64 v)
{
    item->setText(column, QString::number(v));
    item->setData(column, Qt::UserRole, QVariant::fromValue<qlonglong>(v));
    item->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
}

// Binary units in the cell, the exact count in the tooltip; estimated sizes carry a "~" and say so.
void setBytes(QTreeWidgetItem *item, int column, int64_t v, bool estimated = false);

// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote or a line break.
QString csvField(const QString &value);

// Words on lines of at most `maxChars` (a longer word keeps its own line); a part in parentheses starts a line of its
// own and stays whole. For chart axis labels that must not run into their neighbours.
QString wrapWords(const QString &text, int maxChars);

// A sortable flat list with the pages' look; makeTree() makes one.
void setUpTree(QTreeWidget *tree, const QString &objectName, const QStringList &headers);
QTreeWidget *makeTree(QWidget *parent, const QString &objectName, const QStringList &headers);

// A page's error line: red, wrapping, hidden until there is something to say.
QLabel *makeErrorLabel(QWidget *parent, const QString &objectName);
// An error label's message shown (non-empty, returns true) or hidden (empty); and what it shows, empty when hidden.
bool showError(QLabel *label, const QString &message);
QString shownError(const QLabel *label);

// `bytes` to `path` whole or not at all (QSaveFile); the error text, empty when written. Blocks: call it on a worker.
QString writeWholeFile(const QString &path, const QByteArray &bytes);
// writeWholeFile on a worker, for what a page saves or exports: done(error) on the GUI thread, the error naming the
// path, empty when written. Nothing is called when `owner` is gone.
void saveInBackground(QObject *owner, const QString &path, QByteArray bytes, std::function<void(QString)> done);
// A chart's image encoded as PNG and written whole on a worker (a QImage, unlike a QPixmap, may leave the GUI thread);
// done(error) as saveInBackground.
void saveImageInBackground(QObject *owner, const QString &path, QImage image, std::function<void(QString)> done);
// A `done` for the two above: a warning box titled `title` over `parent` (the owner) when the save failed.
std::function<void(QString)> warnIfFailed(QWidget *parent, const QString &title);

// The pages' colours for a verdict: good (green), warning (amber), bad (red), neutral (grey).
enum class Tone { Good, Warning, Bad, Neutral };
QColor toneColor(Tone tone);

} // namespace kp::ui
