#include "ui/storedialog.h"

#include "store/database.h"
#include "store/postgres.h"
#include "ui/jobs.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace kp {

StoreDialog::StoreDialog(const QString &current, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Store"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Where profiles (without their passwords, which stay in your keyring), reviews, "
                                "training runs and the lag history are kept."),
                             this);
    intro->setWordWrap(true);
    m_local = new QRadioButton(tr("This computer (a SQLite file)"), this);
    m_file = new QLineEdit(Database::defaultPath(), this);
    m_file->setObjectName(QStringLiteral("storeFile"));
    m_shared = new QRadioButton(tr("A team's PostgreSQL database"), this);
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("storeUrl"));
    m_url->setPlaceholderText(QStringLiteral("postgresql://user@host:5432/dbname?sslmode=verify-full"));
    m_url->setToolTip(tr("Leave the password out: it is read from PGPASSWORD or ~/.pgpass"));
    auto *form = new QFormLayout;
    form->addRow(m_local);
    form->addRow(tr("File:"), m_file);
    form->addRow(m_shared);
    form->addRow(tr("URL:"), m_url);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("storeStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_use = buttons->addButton(tr("&Use this store"), QDialogButtonBox::AcceptRole);
    m_use->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &StoreDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &StoreDialog::reject);
    connect(m_local, &QRadioButton::toggled, this, [this](bool local) {
        m_file->setEnabled(local);
        m_url->setEnabled(!local);
    });
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addWidget(buttons);
    setLocation(current);
    resize(620, sizeHint().height());
}

void StoreDialog::setLocation(const QString &location)
{
    const bool shared = isPostgresLocation(location);
    (shared ? m_url : m_file)->setText(location);
    (shared ? m_shared : m_local)->setChecked(true);
    m_file->setEnabled(!shared);
    m_url->setEnabled(shared);
}

QString StoreDialog::location() const
{
    return (m_local->isChecked() ? m_file : m_url)->text().trimmed();
}

QString StoreDialog::statusText() const
{
    return m_status->text();
}

void StoreDialog::accept()
{
    if (m_trying)
        return;
    const QString where = location();
    if (where.isEmpty()) {
        m_status->setText(m_local->isChecked() ? tr("Name the file.") : tr("Give the database's URL."));
        return;
    }
    m_trying = true;
    m_use->setEnabled(false);
    m_status->setText(tr("Opening %1…").arg(Database::displayName(where)));
    ui::runAsync(
        this,
        [where]() -> QString {
            try {
                Database db(where); // creates the schema in a new store, refuses one it cannot use
                return {};
            } catch (const std::exception &e) {
                return QString::fromStdString(e.what());
            }
        },
        [this](const QString &error) {
            m_trying = false;
            m_use->setEnabled(true);
            if (!error.isEmpty()) {
                m_status->setText(tr("Not used: %1").arg(error));
                return;
            }
            QDialog::accept();
        });
}

} // namespace kp
