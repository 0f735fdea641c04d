using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Sim.Headless.Cluster
{
    /// <summary>
    /// The points still to run in one call to the scheduler: a queue that lost points go back to the front of, each
    /// point's result taken once, and the first error that stops the batch.
    /// </summary>
    internal sealed class PointBatch
    {
        /// <summary>A point whose run was lost this often after it had started is taken to bring its workers down.</summary>
        public const int MaxLostRuns = 3;

        readonly object _lock = new object();
        readonly LinkedList<int> _queue;
        readonly Dictionary<int, int> _attempts = new Dictionary<int, int>();
        readonly Dictionary<int, int> _lostRuns = new Dictionary<int, int>();
        readonly HashSet<int> _done = new HashSet<int>();
        readonly int _count;
        readonly TaskCompletionSource _finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public PointBatch(IReadOnlyList<PointJob> jobs, IEnumerable<int> indexes, Action<int, byte[]> onResult)
        {
            Jobs = jobs;
            OnResult = onResult;
            _queue = new LinkedList<int>(indexes);
            _count = _queue.Count;
            if (_count == 0) _finished.TrySetResult();
        }

        public IReadOnlyList<PointJob> Jobs { get; }

        Action<int, byte[]> OnResult { get; }

        public Task Finished => _finished.Task;

        public bool IsOver => _finished.Task.IsCompleted;

        /// <summary>The next point and its attempt number, or null when none is queued now.</summary>
        public (int Index, int Attempt)? TryTake()
        {
            lock (_lock)
            {
                if (IsOver || _queue.Count == 0) return null;
                int index = _queue.First!.Value;
                _queue.RemoveFirst();
                _attempts.TryGetValue(index, out int attempt);
                _attempts[index] = ++attempt;
                return (index, attempt);
            }
        }

        /// <summary>Takes a point's result unless it already has one (the first run to finish counts).</summary>
        public void Complete(int index, byte[] result)
        {
            lock (_lock)
            {
                if (IsOver || !_done.Add(index)) return;
                OnResult(index, result);
                if (_done.Count == _count) _finished.TrySetResult();
            }
        }

        /// <summary>A run lost with its worker: the point goes to the front of the queue for another worker.</summary>
        public void Requeue(int index, bool hadStarted, string reason)
        {
            lock (_lock)
            {
                if (IsOver || _done.Contains(index)) return;
                _lostRuns.TryGetValue(index, out int lost);
                if (hadStarted) _lostRuns[index] = ++lost;
                if (lost >= MaxLostRuns)
                {
                    Fail(new ClusterException("point " + (index + 1) + " was lost " + _attempts[index] + " times (" + lost + " while running); last: " + reason));
                    return;
                }
                _queue.AddFirst(index);
            }
        }

        public void Fail(Exception error) => _finished.TrySetException(error);
    }
}
