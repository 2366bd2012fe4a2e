using KafkaExecdInput.Configuration;

namespace KafkaExecdInput.UnitTests.Configuration;

public sealed class NameFilterTests
{
    [Fact]
    public void Without_patterns_everything_is_included()
    {
        Assert.True(NameFilter.IncludeAll.IncludesEverything);
        Assert.True(NameFilter.IncludeAll.IsIncluded("anything"));
        Assert.True(NameFilter.IncludeAll.IsIncluded(""));
    }

    [Fact]
    public void Patterns_match_anywhere_in_the_name_like_kafka_exporter()
    {
        var filter = NameFilter.FromPatterns(["orders"], []);

        Assert.True(filter.IsIncluded("orders"));
        Assert.True(filter.IsIncluded("eu-orders-v2"));
        Assert.False(filter.IsIncluded("payments"));
        Assert.Equal(FilterDecision.NotIncluded, filter.Evaluate("payments"));
    }

    [Fact]
    public void Exclude_wins_over_include()
    {
        var filter = NameFilter.FromPatterns(["^app-"], ["-internal$", "^app-tmp"]);

        Assert.Equal(FilterDecision.Included, filter.Evaluate("app-orders"));
        Assert.Equal(FilterDecision.Excluded, filter.Evaluate("app-orders-internal"));
        Assert.Equal(FilterDecision.Excluded, filter.Evaluate("app-tmp-1"));
        Assert.Equal(FilterDecision.NotIncluded, filter.Evaluate("other"));
    }

    [Fact]
    public void Only_excludes_means_everything_else_is_included()
    {
        var filter = NameFilter.FromPatterns([], ["^__"]);

        Assert.False(filter.IsIncluded("__consumer_offsets"));
        Assert.True(filter.IsIncluded("orders"));
        Assert.False(filter.IncludesEverything);
    }

    [Fact]
    public void Matching_is_case_sensitive_and_culture_invariant()
    {
        var filter = NameFilter.FromPatterns(["^i"], []);

        Assert.True(filter.IsIncluded("index"));
        Assert.False(filter.IsIncluded("Index"));
        Assert.False(filter.IsIncluded("İndex"));
    }

    [Fact]
    public void A_pathological_pattern_times_out_instead_of_hanging()
    {
        var filter = NameFilter.FromPatterns(["^(a+)+$"], []);

        Assert.Equal(FilterDecision.TimedOut, filter.Evaluate(new string('a', 40) + "!"));
        Assert.False(filter.IsIncluded(new string('a', 40) + "!"));
    }

    [Fact]
    public void An_invalid_pattern_is_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => NameFilter.FromPatterns(["("], []));
    }

    [Fact]
    public void Exposes_its_patterns_so_another_process_can_rebuild_it()
    {
        var filter = NameFilter.FromPatterns(["a", "b"], ["c"]);
        var rebuilt = NameFilter.FromPatterns(filter.Include, filter.Exclude);

        Assert.Equal(filter, rebuilt);
        Assert.Equal(filter.GetHashCode(), rebuilt.GetHashCode());
        Assert.NotEqual(filter, NameFilter.FromPatterns(["a"], ["b", "c"]));
    }
}
