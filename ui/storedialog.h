#pragma once
// Toolbar "Store…" (Ctrl+Shift+S): where the window keeps profiles, reviews, runs and the lag history: this
// computer's SQLite file, or a team's database on a PostgreSQL server (a postgresql:// URL; the password from
// PGPASSWORD or ~/.pgpass). The choice is opened off the GUI thread before it is taken: a store that cannot be opened
// is named with why and the dialog stays.

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace kp {

class StoreDialog : public QDialog
{
    Q_OBJECT
public:
    StoreDialog(const QString &current, QWidget *parent = nullptr);

    QString location() const; // as chosen in the form (not yet tried)
    void setLocation(const QString &location);
    QString statusText() const;
    bool trying() const { return m_trying; }

public Q_SLOTS:
    void accept() override; // tries the location; accepted once it opens

private:
    QRadioButton *m_local = nullptr;
    QRadioButton *m_shared = nullptr;
    QLineEdit *m_file = nullptr;
    QLineEdit *m_url = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_use = nullptr;
    bool m_trying = false;
};

} // namespace kp
