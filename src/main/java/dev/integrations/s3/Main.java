package dev.integrations.s3;

public final class Main {
  public static void main(String[] args) {}
}
