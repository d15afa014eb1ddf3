#include "ui/pricingeditor.h"

#include "models/formaterror.h"
#include "models/pricing.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace kp {

PricingEditor::PricingEditor(const QString &path, QWidget *parent) : QDialog(parent), m_path(path)
{
    setWindowTitle(tr("Pricing profile — %1").arg(QFileInfo(path).fileName()));
    auto *layout = new QVBoxLayout(this);
    auto *hint = new QLabel(tr("Every price needs its source and date (YYYY-MM-DD). Instances size the brokers: vCPU, "
                               "memoryGiB, baselineNetworkGbps, hourly."),
                            this);
    hint->setWordWrap(true);
    m_edit = new QPlainTextEdit(this);
    m_edit->setObjectName(QStringLiteral("pricingText"));
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("pricingError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #a1261d;"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (save())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(hint);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    QFile f(path);
    if (f.open(QIODevice::ReadOnly))
        m_edit->setPlainText(QString::fromUtf8(f.readAll()));
    else
        m_error->setText(tr("%1: %2").arg(path, f.errorString()));
    resize(760, 620);
}

void PricingEditor::setText(const QString &json)
{
    m_edit->setPlainText(json);
}

QString PricingEditor::text() const
{
    return m_edit->toPlainText();
}

QString PricingEditor::error() const
{
    return m_error->text();
}

bool PricingEditor::save()
{
    const std::string text = m_edit->toPlainText().toStdString();
    try {
        pricingFromJson(text);
    } catch (const FormatError &e) {
        m_error->setText(tr("Not saved: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    QSaveFile f(m_path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text.data(), qint64(text.size())) != qint64(text.size()) ||
        !f.commit()) {
        m_error->setText(tr("Not saved: %1: %2").arg(m_path, f.errorString()));
        return false;
    }
    m_error->clear();
    return true;
}

QString PricingEditor::userDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/pricing");
}

QString PricingEditor::copyToUserDirectory(const std::string &json, const std::string &name, QString *error)
{
    const QString dir = userDirectory();
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = tr("cannot create %1").arg(dir);
        return {};
    }
    QString base = QString::fromStdString(name).toLower();
    base.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    QString path = dir + QLatin1Char('/') + base + QStringLiteral("-copy.json");
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = dir + QLatin1Char('/') + base + QStringLiteral("-copy-%1.json").arg(n);
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(json.data(), qint64(json.size())) != qint64(json.size()) ||
        !f.commit()) {
        if (error)
            *error = tr("%1: %2").arg(path, f.errorString());
        return {};
    }
    return path;
}

} // namespace kp
