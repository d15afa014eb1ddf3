#include "analysis/reviewpdf.h"

#include <QBuffer>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>

namespace kp {

QByteArray reviewPdf(const ReviewDocument &doc, int64_t nowMs)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter pdf(&buffer);
        pdf.setPageSize(QPageSize(QPageSize::A4));
        pdf.setPageOrientation(QPageLayout::Landscape);
        pdf.setTitle(QString::fromStdString(doc.name));
        pdf.setCreator(QStringLiteral("Kafka Planner"));
        QTextDocument text;
        text.setHtml(QString::fromStdString(reviewHtml(doc, nowMs)));
        text.print(&pdf);
    }
    return bytes;
}

} // namespace kp
