package org.sentinelplaybooks.clients.graph;

/**
 * The properties an alert update sets (PATCH {@code /security/alerts_v2/{alertId}}: status,
 * classification, determination, assignedTo; microsoftgraph/microsoft-graph-docs-contrib
 * api-reference/v1.0/api/security-alert-update.md). A null property is left as it is. The values
 * are the v1.0 CSDL's members (microsoftgraph/msgraph-metadata schemas/v1.0-Prod.csdl): where the
 * docs' property tables name determinations differently (compromisedUser, clean, insufficientData,
 * confirmedUserActivity), the CSDL's names are the ones sent.
 */
public record XdrAlertUpdate(
    Status status, Classification classification, Determination determination, String assignedTo) {

  /** {@code alertStatus} members an update may set. */
  public enum Status {
    NEW("new"),
    IN_PROGRESS("inProgress"),
    RESOLVED("resolved");

    private final String wireName;

    Status(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** {@code alertClassification} members. */
  public enum Classification {
    UNKNOWN("unknown"),
    FALSE_POSITIVE("falsePositive"),
    TRUE_POSITIVE("truePositive"),
    INFORMATIONAL_EXPECTED_ACTIVITY("informationalExpectedActivity");

    private final String wireName;

    Classification(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** {@code alertDetermination} members, by their CSDL names. */
  public enum Determination {
    UNKNOWN("unknown"),
    APT("apt"),
    MALWARE("malware"),
    SECURITY_PERSONNEL("securityPersonnel"),
    SECURITY_TESTING("securityTesting"),
    UNWANTED_SOFTWARE("unwantedSoftware"),
    OTHER("other"),
    MULTI_STAGED_ATTACK("multiStagedAttack"),
    COMPROMISED_ACCOUNT("compromisedAccount"),
    PHISHING("phishing"),
    MALICIOUS_USER_ACTIVITY("maliciousUserActivity"),
    NOT_MALICIOUS("notMalicious"),
    NOT_ENOUGH_DATA_TO_VALIDATE("notEnoughDataToValidate"),
    CONFIRMED_ACTIVITY("confirmedActivity"),
    LINE_OF_BUSINESS_APPLICATION("lineOfBusinessApplication");

    private final String wireName;

    Determination(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** Resolves the alert with a verdict. */
  public static XdrAlertUpdate resolve(Classification classification, Determination determination) {
    return new XdrAlertUpdate(Status.RESOLVED, classification, determination, null);
  }
}
