using System.Runtime.CompilerServices;

namespace KafkaTestCluster.Tests.Infrastructure;

internal static class ThreadPoolWarmup
{
    /// <summary>
    /// Tests block pool threads (synchronous raw-socket clients, librdkafka calls, sync Dispose) while the
    /// cluster's async loops need pool threads to answer. On a 2-core machine the pool starts with two
    /// threads and grows about one per second, which turns into multi-second stalls; start it larger.
    /// </summary>
#pragma warning disable CA2255 // a module initializer is the one hook that runs before any test
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
    }
}
