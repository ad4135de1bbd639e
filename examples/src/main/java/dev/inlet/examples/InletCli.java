package dev.inlet.examples;

/** Placeholder until the CLI lands. */
public final class InletCli {
  public static void main(String[] args) {}
}
