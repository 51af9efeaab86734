namespace CroweLogic.Flow.Storage.Migrations;

/// <summary>The store's recorded schema does not match this build's migrations.</summary>
public sealed class SchemaDriftException(string message) : Exception(message);
