import Foundation

extension WorkflowEngine {
    /// Starts the heartbeat unless it is going. Every third of the lease duration it renews, in one journal call, the
    /// leases of the runs this engine is executing, and stops those another owner took. It ends when none is left.
    func keepLeases() {
        guard active.startBeating() else { return }
        let interval = Duration.milliseconds(Int64(leaseDuration * 1000 / 3))
        Task { [weak self] in
            while true {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                let executing = active.executingOrStop()
                if executing.isEmpty { return }
                // A journal that cannot be reached now is tried again next time; the lease has two more periods.
                guard let lost = try? await journal.renewLeases(Array(executing.keys), lease: lease()) else { continue }
                for id in lost { active.leaseLost(id, task: executing[id]) }
            }
        }
    }
}
