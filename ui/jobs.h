#pragma once

// The one way the window runs work off the GUI thread. A job runs on the thread pool; it may check its CancelToken
// (and throw Cancelled, or hand the token's flag to a collector). Its result comes back on the owner's thread, to the
// `done` given, unless the owner is gone, the job was cancelled, or (in a JobLane) a newer job of the same lane
// started. No page keeps a counter of its own to tell a stale result.

#include "models/cancelled.h"
#include "services/workpool.h"

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent>
#include <atomic>
#include <memory>
#include <optional>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace kp::ui {

// Shared by a job and whoever may cancel it.
class CancelToken
{
public:
    bool cancelled() const { return m_flag->load(); }
    void cancel() const { m_flag->store(true); }
    const std::atomic<bool> *flag() const { return m_flag.get(); } // for the collectors and readers that take one
    void throwIfCancelled() const
    {
        if (cancelled())
            throw Cancelled();
    }

private:
    std::shared_ptr<std::atomic<bool>> m_flag = std::make_shared<std::atomic<bool>>(false);
};

namespace detail {

template <class Work> auto invokeJob(Work &work, const CancelToken &token)
{
    if constexpr (std::is_invocable_v<Work &, const CancelToken &>)
        return work(token);
    else
        return work();
}

template <class Work>
using JobResult = decltype(invokeJob(std::declval<Work &>(), std::declval<const CancelToken &>()));

// Runs `work` on the pool; `deliver` gets std::optional<Result> (empty when the job threw Cancelled) on the owner's
// thread, if the owner is still there (the watcher is its child).
template <class Work, class Deliver> void launch(QObject *owner, Work work, CancelToken token, Deliver deliver)
{
    using Result = JobResult<Work>;
    auto *watcher = new QFutureWatcher<std::optional<Result>>(owner);
    QObject::connect(watcher, &QFutureWatcherBase::finished, owner, [watcher, deliver = std::move(deliver)]() mutable {
        watcher->deleteLater();
        deliver(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(
        workPool(),
        [work = std::move(work), token, queuedAt = JobTrace::queuedNow()]() mutable -> std::optional<Result> {
            yieldToTheGuiThread();
            const JobTrace trace(typeid(Work).name(), queuedAt);
            try {
                return invokeJob(work, token);
            } catch (const Cancelled &) {
                return std::nullopt;
            }
        }));
}

} // namespace detail

// A job whose result always counts (a save, a delete, a load asked for once): `done(result)` on the owner's thread
// unless the owner is gone. `work` takes no argument or a const CancelToken &.
template <class Work, class Done> void runAsync(QObject *owner, Work work, Done done)
{
    detail::launch(owner, std::move(work), CancelToken(), [done = std::move(done)](auto result) mutable {
        if (result)
            done(std::move(*result));
    });
}

// One kind of job of a page where only the newest counts (the build for the snapshot shown, a file being opened):
// start() cancels the job before it and drops its result; cancel() drops the running one's. A member of the owner;
// cancels its job as it goes.
class JobLane
{
public:
    JobLane() = default;
    JobLane(const JobLane &) = delete;
    JobLane &operator=(const JobLane &) = delete;
    ~JobLane() { m_token.cancel(); } // its owner (and the result's taker) is going: the job may stop
    template <class Work, class Done> void start(QObject *owner, Work work, Done done)
    {
        cancel();
        m_token = CancelToken();
        m_running = true;
        detail::launch(owner, std::move(work), m_token,
                       [this, token = m_token, done = std::move(done)](auto result) mutable {
                           if (token.cancelled())
                               return; // cancelled, or a newer job started: the result is stale
                           m_running = false;
                           if (result)
                               done(std::move(*result));
                       });
    }
    void cancel()
    {
        m_token.cancel();
        m_running = false;
    }
    bool running() const { return m_running; }

private:
    CancelToken m_token;
    bool m_running = false;
};

// One job at a time, for builds that hold much memory (a large cluster's lag rows): while one runs, start() only notes
// that a newer state waits; when the running job ends its result is dropped and `again` is called (the page's reload,
// which starts one job with the newest state). cancel() drops the running job's result; the lane cancels it as it goes.
class SerialLane
{
public:
    SerialLane() = default;
    SerialLane(const SerialLane &) = delete;
    SerialLane &operator=(const SerialLane &) = delete;
    ~SerialLane() { m_token.cancel(); }
    template <class Work, class Done, class Again> void start(QObject *owner, Work work, Done done, Again again)
    {
        if (m_running) {
            m_stale = true;
            return;
        }
        m_running = true;
        m_stale = false;
        detail::launch(owner, std::move(work), m_token,
                       [this, token = m_token, done = std::move(done), again = std::move(again)](auto result) mutable {
                           m_running = false;
                           if (std::exchange(m_stale, false)) {
                               again();
                               return;
                           }
                           if (!token.cancelled() && result)
                               done(std::move(*result));
                       });
    }
    void cancel()
    {
        m_token.cancel();
        m_token = CancelToken();
        m_stale = false;
    }
    bool running() const { return m_running; }

private:
    CancelToken m_token;
    bool m_running = false;
    bool m_stale = false;
};

} // namespace kp::ui
