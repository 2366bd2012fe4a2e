namespace KafkaTestCluster.Apis;

/// <summary>Where group APIs report an error, and the coordinator check every group request goes through.</summary>
internal static class GroupErrors
{
    public const short StaleMemberEpoch = 113;

    /// <summary>Errors about the group as a whole (reported at group or top level), as opposed to one partition.</summary>
    public static bool IsGroupLevel(short error) => error is ErrorCodes.CoordinatorLoadInProgress or ErrorCodes.CoordinatorNotAvailable
        or ErrorCodes.NotCoordinator or ErrorCodes.GroupAuthorizationFailed or ErrorCodes.GroupIdNotFound or ErrorCodes.InvalidGroupId
        or ErrorCodes.IllegalGeneration or ErrorCodes.UnknownMemberId or ErrorCodes.RebalanceInProgress or StaleMemberEpoch
        or ErrorCodes.UnknownServerError;

    /// <summary>
    /// The error of a group in a response whose group error code is its only error field (DescribeGroups,
    /// ConsumerGroupDescribe): any injected error goes there, else <see cref="CoordinatorError"/>.
    /// </summary>
    public static short SoleGroupError(RequestContext context, string groupId) =>
        context.InjectedError != ErrorCodes.None ? context.InjectedError : CoordinatorError(context, groupId);

    /// <summary>
    /// The group-level error for a request about <paramref name="groupId"/>: an injected group-level error,
    /// else NOT_COORDINATOR when the receiving broker does not coordinate the group, else none.
    /// </summary>
    public static short CoordinatorError(RequestContext context, string groupId)
    {
        if (IsGroupLevel(context.InjectedError))
        {
            return context.InjectedError;
        }

        return context.Cluster.CoordinatorOfLocked(groupId) == context.Broker.Id ? ErrorCodes.None : ErrorCodes.NotCoordinator;
    }

    /// <summary>An injected error that belongs on partitions rather than on the group.</summary>
    public static short PartitionLevel(RequestContext context) => IsGroupLevel(context.InjectedError) ? ErrorCodes.None : context.InjectedError;

}
