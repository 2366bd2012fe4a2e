using KafkaExecdInput.Collection;

namespace KafkaExecdInput.UnitTests.Collection;

/// <summary>The worker's environment (Collection/WorkerLaunch.cs): its memory settings, and the user's own values kept.</summary>
public class WorkerLaunchTests
{
    [Fact]
    public void The_worker_gets_the_server_gc_and_two_malloc_arenas_unless_the_environment_says_otherwise()
    {
        var launch = WorkerLaunch.ForThisExecutable();

        if (Environment.GetEnvironmentVariable("DOTNET_gcServer") is null)
        {
            Assert.Equal("1", launch.Environment["DOTNET_gcServer"]);
        }
        if (Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null)
        {
            Assert.Equal("2", launch.Environment["MALLOC_ARENA_MAX"]);
        }
    }

    [Fact]
    public void A_value_the_user_set_is_kept()
    {
        var launch = WorkerLaunch.ForThisExecutable(new Dictionary<string, string> { ["DOTNET_gcServer"] = "0", ["MALLOC_ARENA_MAX"] = "8" });

        Assert.Equal("0", launch.Environment["DOTNET_gcServer"]);
        Assert.Equal("8", launch.Environment["MALLOC_ARENA_MAX"]);
    }
}
