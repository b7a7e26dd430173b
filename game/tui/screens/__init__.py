"""The app's screens: picker, content notes, play, help, and the debrief family."""
