<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ArchiveDisplay</name>
    <message numerus="yes">
        <location filename="../../reader/ui/archive_display.py" line="234"/>
        <source>Loaded %n posts</source>
        <translation>
            <numerusform>Loaded %n post</numerusform>
            <numerusform>Loaded %n posts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/archive_display.py" line="236"/>
        <source>%n problems (see posts marked ⚠)</source>
        <translation>
            <numerusform>%n problem (see posts marked ⚠)</numerusform>
            <numerusform>%n problems (see posts marked ⚠)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/archive_display.py" line="238"/>
        <source>Updated from disk: %n posts</source>
        <translation>
            <numerusform>Updated from disk: %n post</numerusform>
            <numerusform>Updated from disk: %n posts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ArchiveUpdates</name>
    <message numerus="yes">
        <location filename="../../reader/ui/archive_updates.py" line="250"/>
        <source>%n new posts</source>
        <translation>
            <numerusform>%n new post</numerusform>
            <numerusform>%n new posts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/archive_updates.py" line="250"/>
        <source>%n moved</source>
        <translation>
            <numerusform>%n moved</numerusform>
            <numerusform>%n moved</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FindInPost</name>
    <message numerus="yes">
        <location filename="../../reader/ui/find_in_post.py" line="40"/>
        <source>%n matches</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImageActions</name>
    <message numerus="yes">
        <location filename="../../reader/ui/image_actions.py" line="82"/>
        <source>%n images available offline</source>
        <translation>
            <numerusform>%n image available offline</numerusform>
            <numerusform>%n images available offline</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/image_actions.py" line="84"/>
        <source>%n could not be fetched</source>
        <translation>
            <numerusform>%n could not be fetched</numerusform>
            <numerusform>%n could not be fetched</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MarksActions</name>
    <message numerus="yes">
        <location filename="../../reader/ui/marks_actions.py" line="75"/>
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
        <location filename="../../reader/ui/nav_model.py" line="350"/>
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/nav_model.py" line="350"/>
        <source>%n posts</source>
        <translation>
            <numerusform>%n post</numerusform>
            <numerusform>%n posts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message numerus="yes">
        <location filename="../../reader/ui/navigation.py" line="105"/>
        <source>%n posts. Select one to read it, or press N for the next unread.</source>
        <translation>
            <numerusform>%n post. Select it to read it, or press N for the next unread.</numerusform>
            <numerusform>%n posts. Select one to read it, or press N for the next unread.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/navigation.py" line="116"/>
        <source>%n posts match “%1”. Select one to read it.</source>
        <translation>
            <numerusform>%n post matches “%1”. Select it to read it.</numerusform>
            <numerusform>%n posts match “%1”. Select one to read it.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PostCounts</name>
    <message numerus="yes">
        <location filename="../../reader/ui/post_counts.py" line="45"/>
        <source>%n matches of %1 posts</source>
        <translation>
            <numerusform>%n match of %1 posts</numerusform>
            <numerusform>%n matches of %1 posts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SavingWatch</name>
    <message numerus="yes">
        <location filename="../../reader/ui/saving_watch.py" line="64"/>
        <source>%n read marks made in this session could not be saved (%s).</source>
        <translation>
            <numerusform>%n read mark made in this session could not be saved (%s).</numerusform>
            <numerusform>%n read marks made in this session could not be saved (%s).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchResults</name>
    <message numerus="yes">
        <location filename="../../reader/ui/search_results.py" line="74"/>
        <source>%n matches</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Viewer</name>
    <message numerus="yes">
        <location filename="../../reader/ui/viewer.py" line="355"/>
        <location filename="../../reader/ui/viewer.py" line="451"/>
        <source>Show %n remote image(s) of this post</source>
        <translation>
            <numerusform>Show the remote image of this post</numerusform>
            <numerusform>Show %n remote images of this post</numerusform>
        </translation>
    </message>
</context>
</TS>
