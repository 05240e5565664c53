package org.sealgate.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;

/**
 * A failure as one line a person can act on. The JDK's file errors carry only the path ({@code pw.txt}); here
 * they say what went wrong and, when the file came from the command line, which argument to fix, e.g.
 * {@code cannot read pw.txt (no such file): give --password-file a readable file}.
 */
final class CliErrors {
    private CliErrors() {
    }

    static String describe(Throwable failure, List<String> args) {
        FileSystemException file = fileFailure(failure);
        if (file != null) {
            return describe(file, args);
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    private static String describe(FileSystemException e, List<String> args) {
        String path = e.getFile() == null ? "?" : e.getFile();
        String problem;
        if (e instanceof NoSuchFileException) {
            problem = "no such file";
        } else if (e instanceof AccessDeniedException) {
            problem = "permission denied";
        } else if (e instanceof FileAlreadyExistsException) {
            return "cannot create " + path + " (it already exists): choose a new file name, or move the old file away";
        } else if (e instanceof NotDirectoryException) {
            problem = "not a directory";
        } else if (e instanceof DirectoryNotEmptyException) {
            problem = "directory not empty";
        } else {
            problem = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
        }
        return "cannot read " + path + " (" + problem + "): " + whatToDo(path, args);
    }

    /** Which argument named the file (as given, or a parent directory of it: --data), and so what to change. */
    private static String whatToDo(String path, List<String> args) {
        Path failed = Path.of(path).toAbsolutePath().normalize();
        for (int i = 0; i < args.size(); i++) {
            Path given = Path.of(args.get(i)).toAbsolutePath().normalize();
            boolean option = i > 0 && args.get(i - 1).startsWith("--");
            if (given.equals(failed) && !args.get(i).startsWith("--")) {
                return option ? "give " + args.get(i - 1) + " a readable file" : "give a readable file";
            }
            if (option && args.get(i - 1).equals("--data") && failed.startsWith(given)) {
                return "is --data " + args.get(i) + " a Sealgate data directory? (the node's or the demo's)";
            }
        }
        return "check that the file exists and that this user may read it";
    }

    private static FileSystemException fileFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FileSystemException e) {
                return e;
            }
        }
        return null;
    }
}
