package dev.cirrus.launcher;

/**
 * A tiny child program for {@link SupervisorTest}: prints a line, lives {@code args[0]} milliseconds, then exits with
 * code {@code args[1]}.
 */
public final class ExitingChild {

    private ExitingChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("child " + ProcessHandle.current().pid() + " will exit with " + args[1]);
        System.out.flush();
        Thread.sleep(Long.parseLong(args[0]));
        System.exit(Integer.parseInt(args[1]));
    }
}
