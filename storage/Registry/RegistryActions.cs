namespace CroweLogic.Flow.Storage.Registry;

/// <summary>Audit-log actions of the registry; the subject is the artifact hash (or key id for key actions).</summary>
public static class RegistryActions
{
    /// <summary>An artifact was registered as a candidate.</summary>
    public const string Register = "registry.register";

    /// <summary>The pre-signing checks ran (payload: each check, passed or not, and why).</summary>
    public const string Check = "registry.check";

    /// <summary>A person approved the artifact.</summary>
    public const string Approve = "registry.approve";

    /// <summary>The artifact was signed.</summary>
    public const string Sign = "registry.sign";

    /// <summary>The signed artifact was published for loading.</summary>
    public const string Publish = "registry.publish";

    /// <summary>Live capital was granted (payload: fraction and approvers).</summary>
    public const string GrantLive = "registry.grant_live";

    /// <summary>The artifact was revoked.</summary>
    public const string Revoke = "registry.revoke";

    /// <summary>A public key was trusted for signing.</summary>
    public const string TrustKey = "registry.trust_key";

    /// <summary>A key was revoked.</summary>
    public const string RevokeKey = "registry.revoke_key";

    /// <summary>A loader refused the artifact.</summary>
    public const string Refused = "registry.refused";
}
