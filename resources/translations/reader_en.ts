<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../reader/ui/main_window.py" line="498"/>
        <source>Loaded %n posts</source>
        <translation>
            <numerusform>Loaded %n post</numerusform>
            <numerusform>Loaded %n posts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/main_window.py" line="500"/>
        <source>%n problems (see posts marked ⚠)</source>
        <translation>
            <numerusform>%n problem (see posts marked ⚠)</numerusform>
            <numerusform>%n problems (see posts marked ⚠)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/main_window.py" line="502"/>
        <source>Updated from disk: %n posts</source>
        <translation>
            <numerusform>Updated from disk: %n post</numerusform>
            <numerusform>Updated from disk: %n posts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/main_window.py" line="619"/>
        <source>%n posts. Select one to read it, or press N for the next unread.</source>
        <translation>
            <numerusform>%n post. Select it to read it, or press N for the next unread.</numerusform>
            <numerusform>%n posts. Select one to read it, or press N for the next unread.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/main_window.py" line="724"/>
        <location filename="../../reader/ui/main_window.py" line="787"/>
        <source>%n matches</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/main_window.py" line="854"/>
        <source>Mark all %n posts in this view as read?</source>
        <translation>
            <numerusform>Mark the %n post in this view as read?</numerusform>
            <numerusform>Mark all %n posts in this view as read?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NavModel</name>
    <message numerus="yes">
        <location filename="../../reader/ui/nav_model.py" line="286"/>
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/nav_model.py" line="286"/>
        <source>%n posts</source>
        <translation>
            <numerusform>%n post</numerusform>
            <numerusform>%n posts</numerusform>
        </translation>
    </message>
</context>
</TS>
