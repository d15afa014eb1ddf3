#include "ui/pricingeditor.h"

#include "models/formaterror.h"
#include "models/pricing.h"
#include "ui/jobs.h"
#include "ui/widgetutil.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
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
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &PricingEditor::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(this, &PricingEditor::saved, this, &QDialog::accept);
    layout->addWidget(hint);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    m_edit->setReadOnly(true);
    m_edit->setPlaceholderText(tr("Reading %1…").arg(path));
    ui::runAsync(
        this,
        [path]() -> std::pair<QString, QString> {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                return {QString(), tr("%1: %2").arg(path, f.errorString())};
            return {QString::fromUtf8(f.readAll()), QString()};
        },
        [this](const std::pair<QString, QString> &read) {
            if (!m_textSet)
                m_edit->setPlainText(read.first);
            m_error->setText(read.second);
            m_edit->setReadOnly(false);
            m_edit->setPlaceholderText(QString());
            Q_EMIT loaded();
        });
    resize(760, 620);
}

void PricingEditor::setText(const QString &json)
{
    m_textSet = true;
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
    m_buttons->setEnabled(false);
    m_error->clear();
    ui::saveInBackground(this, m_path, QByteArray::fromStdString(text), [this](const QString &error) {
        m_buttons->setEnabled(true);
        if (!error.isEmpty()) {
            m_error->setText(tr("Not saved: %1").arg(error));
            return;
        }
        Q_EMIT saved();
    });
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
    if (const QString failed = ui::writeWholeFile(path, QByteArray::fromStdString(json)); !failed.isEmpty()) {
        if (error)
            *error = tr("%1: %2").arg(path, failed);
        return {};
    }
    return path;
}

} // namespace kp
