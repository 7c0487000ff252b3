package io.socketiocanary;

/** Entry point: the command line of socketio-canary. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(0);
  }
}
