package dev.integrations.s3.storage;

import java.util.regex.Pattern;

/**
 * The error codes a storage answers with (S3's {@code <Code>}, MinIO admin's {@code "Code"}) are
 * text from whoever runs the endpoint, and they end up in status messages, Events and logs. Only a
 * code of the shape real ones have is taken: a letter, then letters, digits and dots, at most 64
 * characters ({@code AccessDenied}, {@code XMinioAdminNoSuchUser}, {@code InvalidAccessKeyId}).
 * Anything else (newlines, markup, a megabyte of text) is dropped and the answer is treated as one
 * without a code.
 */
public final class ErrorCodes {
  private static final int MAX_LENGTH = 64;
  private static final Pattern SHAPE =
      Pattern.compile("[A-Za-z][A-Za-z0-9.]{0," + (MAX_LENGTH - 1) + "}");

  private ErrorCodes() {}

  /** The code when it has the shape of one, else null. */
  public static String sane(String code) {
    if (code == null || code.length() > MAX_LENGTH) {
      return null;
    }
    String c = code.strip();
    return SHAPE.matcher(c).matches() ? c : null;
  }
}
