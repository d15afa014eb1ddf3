#pragma once

#include <QDialog>

class QLabel;
class QPlainTextEdit;

namespace kp {

// Edits a user's pricing profile as JSON text. Save checks it with the same parser the planner uses and refuses a
// malformed profile naming the field and the reason; the file is written atomically, nothing is lost on a refusal.
class PricingEditor : public QDialog
{
    Q_OBJECT
public:
    PricingEditor(const QString &path, QWidget *parent = nullptr);
    QString path() const { return m_path; }
    void setText(const QString &json);
    QString text() const;
    // Validates and writes; false with the reason shown when it cannot.
    bool save();
    QString error() const;

    // Where a user's own profiles live, and a copy of a profile's JSON there under a free name; returns its path.
    static QString userDirectory();
    static QString copyToUserDirectory(const std::string &json, const std::string &name, QString *error);

private:
    QString m_path;
    QPlainTextEdit *m_edit = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace kp
